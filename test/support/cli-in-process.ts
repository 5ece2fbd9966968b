/**
 * `obrolan <command>` run in this process on a database, as a shell would run it beside a server:
 * its exit code and the lines it printed to stdout and stderr. A temporary data folder is made for
 * the test file and removed after it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { main } from '../../src/cli/main'

export interface CliRun {
  code: number
  out: string[]
  err: string[]
}

export function useCli(name: string) {
  const folder = mkdtempSync(join(tmpdir(), `obrolan-${name}-`))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))
  /** Runs `obrolan ...argv` on `database` with `stdin` as its standard input. */
  const run = async (database: string, argv: string[], stdin = ''): Promise<CliRun> => {
    const out: string[] = []
    const err: string[] = []
    const code = await main(argv, { DATABASE_URL: database, OBROLAN_DATA_DIR: folder }, { out: (line) => out.push(line), err: (line) => err.push(line) }, async () => stdin)
    return { code, out, err }
  }
  return { folder, run }
}
