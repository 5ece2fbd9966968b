/**
 * Time and chance, injected so that tests can drive every timer and every jitter exactly.
 */
export type TimerId = ReturnType<typeof setTimeout> | number

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): TimerId
  clearTimeout(id: TimerId | undefined): void
  /** A number in [0, 1), like Math.random. */
  random(): number
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // Wrapped rather than passed by reference: some browsers throw "Illegal invocation" when
  // setTimeout is called detached from window.
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
}

/** A restartable one-shot timer: `arm` replaces any pending deadline. */
export class Timer {
  private id: TimerId | undefined

  constructor(
    private readonly clock: Clock,
    private readonly onFire: () => void,
  ) {}

  arm(ms: number): void {
    this.disarm()
    this.id = this.clock.setTimeout(() => {
      this.id = undefined
      this.onFire()
    }, ms)
  }

  disarm(): void {
    if (this.id !== undefined) this.clock.clearTimeout(this.id)
    this.id = undefined
  }

  get armed(): boolean {
    return this.id !== undefined
  }
}
