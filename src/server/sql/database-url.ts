/**
 * What a `database` option names: `sqlite:<path>` (relative to the working directory, or
 * absolute; `sqlite://` and `sqlite:///abs` are read the same way) or `postgres://…`
 * (`postgresql://…` too), checked at start with a message that says what was expected.
 */
import { resolve } from 'node:path'

export type DatabaseTarget = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string }

export function parseDatabaseUrl(value: unknown): DatabaseTarget {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError("database must be a URL such as 'sqlite:./data/obrolan.db' or 'postgres://user@host:5432/db'")
  }
  if (value.startsWith('sqlite:')) {
    let path = value.slice('sqlite:'.length)
    if (path.startsWith('//')) path = path.slice(2)
    if (path === '' || path === ':memory:') {
      throw new TypeError(`database ${value} names no file: use e.g. 'sqlite:./data/obrolan.db' (omit database for an in-memory store)`)
    }
    return { engine: 'sqlite', path: resolve(path) }
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { engine: 'postgres', url: value }
  throw new TypeError(`database must start with sqlite: or postgres://, got "${redactUrl(value)}"`)
}

/** A URL as it may appear in logs and errors: without its password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}
