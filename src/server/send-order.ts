/**
 * Keeps a connection's messages in the order they were sent when some are refused for a while
 * (rate limits). Clients pipeline sends, so after message N is refused, N+1… may already be on
 * their way, and a rate-limit block can end between two of them: N+1 would be stored before N.
 * Once a send is refused, this gate refuses every later send on the connection until the refused
 * message itself comes back — which an in-order client resends first — or until `maxWaitMs` has
 * passed: a client that learned meanwhile that the message was stored (from an earlier
 * connection's answer arriving late) never sends it again, and must not be refused for good.
 */
/** Longest a connection waits for a refused message to come back before later ones pass again. */
export const SEND_ORDER_MAX_WAIT_MS = 10_000

export class SendOrderGate {
  /** The clientId that must come next, after a refusal. */
  private waitingFor: string | undefined
  private since = 0

  constructor(
    private readonly now: () => number,
    private readonly maxWaitMs: number = SEND_ORDER_MAX_WAIT_MS,
  ) {}

  /** Records that this message was refused; only the first refusal since the last release counts. */
  refused(clientId: string | undefined): void {
    if (this.waitingFor === undefined && clientId !== undefined) {
      this.waitingFor = clientId
      this.since = this.now()
    }
  }

  /** Whether this message may be processed now; the refused message itself releases the gate. */
  admits(clientId: string): boolean {
    if (this.waitingFor === undefined) return true
    if (clientId !== this.waitingFor && this.now() - this.since < this.maxWaitMs) return false
    this.waitingFor = undefined
    return true
  }

  get waiting(): string | undefined {
    return this.waitingFor
  }
}

/** The clientId of a send request, if the payload has one; used before full validation. */
export function clientIdOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  const clientId = (payload as { clientId?: unknown }).clientId
  return typeof clientId === 'string' ? clientId : undefined
}
