/**
 * The user's reactions on their way to the server. A reaction shows at once (the view lays the
 * pending ones over the messages) and is sent whenever the client is connected, again on every new
 * connection until the server has answered; it is idempotent, so a repeat changes nothing. The
 * latest choice per message and emoji wins: toggling while one is on its way sends the new one
 * after it.
 */
import { atom, type ReadableAtom } from 'nanostores'
import type { WireMessage } from '../../protocol'
import { backoffDelay, type BackoffOptions } from '../connection/backoff'
import { ChatError } from '../errors'
import type { Link } from '../transport/link'
import { Timer, type Clock } from '../util/clock'

export interface ReactionIntent {
  roomId: string
  messageId: string
  emoji: string
  on: boolean
  /** Bumped by every change, so an answer to an older choice does not settle a newer one. */
  version: number
  /** The socket generation it was sent on while that send awaits its answer. */
  sentOn?: number
}

/** Refusals about the moment: kept and sent again after a pause. */
const TRANSIENT = new Set(['internal', 'rate_limited'])

export interface ReactionsOptions {
  clock: Clock
  backoff: BackoffOptions
  link: Link
  /** Connected and ready: requests may go out. */
  canSend(): boolean
  /** The server's copy of a message after a reaction. */
  applied(message: WireMessage): void
  reportError(error: ChatError): void
}

export class PendingReactions {
  private readonly $intents = atom<readonly ReactionIntent[]>([])
  private holds = 0
  private readonly holdTimer: Timer
  private version = 0

  constructor(private readonly options: ReactionsOptions) {
    this.holdTimer = new Timer(options.clock, () => this.flush())
  }

  get intents(): ReadableAtom<readonly ReactionIntent[]> {
    return this.$intents
  }

  /**
   * The user chose to add (`on`) or take back a reaction to a loaded message (or to the id of one
   * that is not loaded: refused). Throws what is wrong with the choice.
   */
  react(message: WireMessage | string, emoji: string, on: boolean, offered: readonly string[]): void {
    if (!offered.includes(emoji)) throw new ChatError('bad_request', `${emoji} is not one of this server's reactions (${offered.join(' ')})`)
    if (typeof message === 'string') throw new ChatError('not_found', `No loaded message has id ${message}`)
    if (message.deleted) throw new ChatError('forbidden', 'A deleted message cannot be reacted to')
    this.set(message.roomId, message.id, emoji, on)
  }

  private set(roomId: string, messageId: string, emoji: string, on: boolean): void {
    const others = this.$intents.get().filter((intent) => !(intent.messageId === messageId && intent.emoji === emoji))
    this.$intents.set([...others, { roomId, messageId, emoji, on, version: ++this.version }])
    this.flush()
  }

  /** Sends every choice not yet on its way on the current socket. */
  flush(): void {
    const { link } = this.options
    if (!this.options.canSend() || this.holdTimer.armed) return
    const generation = link.generation
    const due = this.$intents.get().filter((intent) => intent.sentOn !== generation)
    if (due.length === 0) return
    this.$intents.set(this.$intents.get().map((intent) => (intent.sentOn === generation ? intent : { ...intent, sentOn: generation })))
    for (const intent of due) {
      const { roomId, messageId: id, emoji, on, version } = intent
      link.request('react_message', { roomId, id, emoji, on }).then(
        (ack) => this.answered(intent, version, generation, ack.ok ? ack.message : ack.error),
        // Timed out or cut: it goes again on the next socket.
        () => this.answered(intent, version, generation, undefined),
      )
    }
  }

  dispose(): void {
    this.holdTimer.disarm()
  }

  private answered(intent: ReactionIntent, version: number, generation: number, answer: WireMessage | { code: string; message: string; retryAfterMs?: number | undefined } | undefined): void {
    if (answer && !('code' in answer)) {
      this.holds = 0
      this.options.applied(answer)
      return this.settle(intent, version)
    }
    if (!answer) return this.unsent(intent, version, generation)
    if (TRANSIENT.has(answer.code)) {
      this.unsent(intent, version, generation)
      const { clock, backoff } = this.options
      this.holdTimer.arm(Math.max(answer.retryAfterMs ?? 0, backoffDelay(this.holds++, backoff, clock.random)))
      return
    }
    // Refused for good (a deleted message, an emoji the server does not offer): shown as it was.
    this.options.reportError(new ChatError(answer.code as ChatError['code'], `react_message: ${answer.message}`))
    this.settle(intent, version)
  }

  /** Answered: forgotten, unless the user changed it since (then the newer choice goes out). */
  private settle(intent: ReactionIntent, version: number): void {
    const current = this.find(intent)
    if (current?.version === version) this.$intents.set(this.$intents.get().filter((other) => other !== current))
    else if (current) this.flush()
  }

  /** Not answered on that socket: it goes again (now if the socket is still the same one). */
  private unsent(intent: ReactionIntent, version: number, generation: number): void {
    const current = this.find(intent)
    if (current?.version !== version || current.sentOn !== generation) return
    const { sentOn: _sentOn, ...rest } = current
    this.$intents.set(this.$intents.get().map((other) => (other === current ? rest : other)))
  }

  private find(intent: ReactionIntent): ReactionIntent | undefined {
    return this.$intents.get().find((other) => other.messageId === intent.messageId && other.emoji === intent.emoji)
  }
}
