/**
 * One run of a fetch loop at a time. Asked again while it runs, it runs once more afterwards, so
 * a reason to fetch that arrives mid-run is never lost.
 */
export class SingleFlight {
  private running: Promise<void> | undefined
  private again = false

  constructor(
    private readonly loop: () => Promise<void>,
    private readonly failed: (error: unknown) => void,
  ) {}

  run(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    const run = (async () => {
      try {
        do {
          this.again = false
          await this.loop()
        } while (this.again)
      } catch (error) {
        this.failed(error)
      } finally {
        this.running = undefined
        this.again = false
      }
    })()
    this.running = run
    return run
  }
}
