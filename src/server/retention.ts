/**
 * The retention option: conversations closed for longer than `days` are deleted, once at start
 * and then every `intervalMs`. Each node of a deployment sweeps; a sweep deletes only what still
 * qualifies, so several at once do no harm.
 */
import type { FileStore } from './files/file-store'
import type { Logger } from './logger'
import type { Store } from './store'

export const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

export interface RetentionOptions {
  store: Store
  /** The files of deleted conversations go with them. */
  files: FileStore
  days: number
  now: () => number
  logger: Logger
  /** Unexpected errors, with what was being done. */
  reportError: (error: unknown, context: Record<string, unknown>) => void
  intervalMs?: number
}

export interface Retention {
  /** Deletes what is due now; resolves to the deleted room ids (never rejects: failures are reported). */
  sweep(): Promise<string[]>
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>
}

export function startRetention(options: RetentionOptions): Retention {
  const { store, files, days, now, logger, reportError } = options
  let running: Promise<string[]> = Promise.resolve([])
  const sweep = (): Promise<string[]> => {
    running = running.then(async () => {
      const cutoff = now() - days * DAY_MS
      try {
        const deleted = await store.deleteClosedBefore(cutoff)
        if (deleted.length > 0) logger.info({ deleted: deleted.length, retentionDays: days }, 'deleted conversations closed longer than the retention period')
        // After the conversations: a crash in between leaves files nobody can reach, never a
        // message whose file is gone.
        for (const roomId of deleted) {
          await files.deleteRoom(roomId).catch((error: unknown) => reportError(error, { task: 'retention sweep: files', roomId }))
        }
        return deleted
      } catch (error) {
        reportError(error, { task: 'retention sweep', cutoff })
        return []
      }
    })
    return running
  }
  const timer = setInterval(() => void sweep(), options.intervalMs ?? HOUR_MS)
  timer.unref()
  void sweep()
  return {
    sweep,
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
