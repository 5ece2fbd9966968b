/**
 * A throwaway PostgreSQL cluster for tests, as redis-server.ts makes a Redis: `initdb` into a
 * temporary folder, `pg_ctl start` on a free loopback port (unix socket in the same folder), trust
 * authentication for the `postgres` user, removed in cleanup. PostgreSQL refuses to run as root,
 * so as root the binaries run as the `postgres` user through `runuser`. Set PG_BIN to use
 * binaries other than Debian's /usr/lib/postgresql/<version>/bin.
 *
 * `stop()` and `start()` take the server down and bring it back on the same port and data, for
 * outage tests. fsync is off: the tests kill our server processes, never PostgreSQL's machine.
 */
import { execFile, execFileSync } from 'node:child_process'
import { accessSync, constants, readdirSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll } from 'vitest'

const run = promisify(execFile)

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string
  port: number
  /** A new, empty database on this server, and its URL. */
  createDatabase(): Promise<string>
  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  stop(): Promise<void>
  /** Starts it again on the same port and data. */
  start(): Promise<void>
  /** Stops it and removes its folder. Idempotent. */
  destroy(): Promise<void>
}

let databases = 0

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = findPostgresBin()
  const folder = await mkdtemp(join(tmpdir(), 'obrolan-pg-'))
  const data = join(folder, 'data')
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: gid } = await run('id', ['-g', 'postgres'])
    await chown(folder, Number(stdout.trim()), Number(gid.trim()))
  }
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args)
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'])

  let port = await freePort()
  const startOn = async (): Promise<void> => {
    const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`
    await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'log'), '-w', '-t', '20', 'start'])
  }
  // A free port can be taken between asking and binding; another port then does.
  for (let attempt = 1; ; attempt++) {
    try {
      await startOn()
      break
    } catch (error) {
      if (attempt >= 3) throw error
      port = await freePort()
    }
  }
  const exitHandler = (): void => {
    try {
      // Synchronous: the process is exiting.
      execFileSync(asRoot ? 'runuser' : join(bin, 'pg_ctl'), [
        ...(asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl')] : []),
        '-D', data, '-m', 'immediate', 'stop',
      ])
    } catch {
      // already stopped
    }
  }
  process.once('exit', exitHandler)
  const base = `postgres://postgres@127.0.0.1:${port}`
  let destroyed: Promise<void> | undefined
  return {
    port,
    url: `${base}/postgres`,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`
      await pg('psql', ['-h', folder, '-p', String(port), '-U', 'postgres', '-c', `create database ${name}`])
      return `${base}/${name}`
    },
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'])
    },
    start: startOn,
    destroy() {
      destroyed ??= (async () => {
        process.off('exit', exitHandler)
        await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined)
        await rm(folder, { recursive: true, force: true })
      })()
      return destroyed
    },
  }
}

/** One cluster for the whole test file: started before its tests, removed after them. */
export function usePostgresServer(): { readonly server: PostgresServer } {
  let server: PostgresServer | undefined
  beforeAll(async () => {
    server = await startPostgresServer()
  }, 60_000)
  afterAll(async () => {
    await server?.destroy()
  })
  return {
    get server() {
      if (!server) throw new Error('PostgreSQL is not running (use it inside tests)')
      return server
    },
  }
}

function findPostgresBin(): string {
  const candidates = [process.env.PG_BIN]
  try {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((version) => `/usr/lib/postgresql/${version}/bin`))
  } catch {
    // no Debian layout
  }
  for (const dir of candidates) {
    if (!dir) continue
    try {
      accessSync(join(dir, 'initdb'), constants.X_OK)
      return dir
    } catch {
      // not this one
    }
  }
  throw new Error('PostgreSQL was not found (looked at $PG_BIN and /usr/lib/postgresql/*/bin). Install it: apt-get install postgresql')
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}
