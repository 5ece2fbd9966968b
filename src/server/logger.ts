/**
 * What the server logs through: pino's interface, so a pino logger (or anything shaped like one)
 * can be passed in. The default is a pino logger at `LOG_LEVEL` (default `info`) on stdout.
 */
import { pino } from 'pino'

type LogFn = (context: Record<string, unknown>, message: string) => void

export interface Logger {
  debug: LogFn
  info: LogFn
  warn: LogFn
  error: LogFn
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export function defaultLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new RangeError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${level}"`)
  }
  return pino({ name: 'obrolan', level })
}
