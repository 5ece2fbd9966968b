/**
 * When work that may wait runs: once the I/O callbacks at hand, and the promise jobs they queued,
 * are done. Requests read in one go are all answered by then, and state broadcasts they caused can
 * go out once, with the latest state, instead of once per request. Injected, so tests decide when.
 */
export type Defer = (run: () => void) => void

export const deferAfterIo: Defer = (run) => void setImmediate(run)
