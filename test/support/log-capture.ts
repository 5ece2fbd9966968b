import type { Logger } from '../../src/server'

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  context: Record<string, unknown>
  message: string
}

/** A logger that keeps what it is told, for tests that check what the server logs. */
export function captureLogs(): Logger & { lines: LogLine[]; messages(level?: LogLine['level']): string[] } {
  const lines: LogLine[] = []
  const at =
    (level: LogLine['level']) =>
    (context: Record<string, unknown>, message: string): void => {
      lines.push({ level, context, message })
    }
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    messages: (level) => lines.filter((line) => level === undefined || line.level === level).map((line) => line.message),
  }
}
