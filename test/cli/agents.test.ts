/**
 * `obrolan agents` on the database a running server uses, as an owner recovering access from a
 * shell would: an account added on the command line signs in to the running server, is listed,
 * gets a new password (ending its sessions), and once removed can no longer sign in. Passwords come
 * from standard input only; every refusal says why.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCli } from '../support/cli-in-process'
import { useHarness } from '../server/helpers'
import { browser } from '../server/owner-browser'

const cli = useCli('agents')
const folder = cli.folder
const harness = useHarness()

const obrolan = (database: string, stdin: string, ...argv: string[]) => cli.run(database, argv, stdin)

describe('obrolan agents', () => {
  it('adds, lists, resets and removes accounts that a running server honours', async () => {
    const database = `sqlite:${join(folder, 'agents.db')}`
    const server = await harness.start({ database, accounts: true })
    expect(server.setupUrl).toBeDefined()

    const added = await obrolan(database, 'kopi susu gula aren\n', 'agents', 'add', 'dewi@toko.example', '--name', 'Dewi', '--password-stdin', '--owner')
    expect(added).toMatchObject({ code: 0, out: ['Created owner dewi@toko.example (Dewi).'] })
    const budi = await obrolan(database, 'teh tarik tanpa gula\n', 'agents', 'add', 'budi@toko.example', '--name', 'Budi', '--password-stdin')
    expect(budi).toMatchObject({ code: 0, out: ['Created agent budi@toko.example (Budi).'] })

    // The running server reads the same database: both sign in with the passwords given on stdin
    // (the trailing newline of `echo` is not part of the password).
    const dewiTab = browser(server)
    const signedIn = await dewiTab.call('POST', '/api/auth/sign-in', { email: 'dewi@toko.example', password: 'kopi susu gula aren' })
    expect(signedIn.status).toBe(200)
    expect((await dewiTab.call<{ agent: { role: string } }>('GET', '/api/auth/state')).body.data).toMatchObject({ agent: { name: 'Dewi', role: 'owner' } })
    const budiTab = browser(server)
    expect((await budiTab.call('POST', '/api/auth/sign-in', { email: 'budi@toko.example', password: 'teh tarik tanpa gula' })).status).toBe(200)
    expect((await budiTab.call('GET', '/api/auth/socket-token')).status).toBe(200)

    const listed = await obrolan(database, '', 'agents', 'list')
    expect(listed.code).toBe(0)
    expect(listed.out).toEqual([
      expect.stringMatching(/^dewi@toko\.example\tDewi\towner\t\d{4}-\d\d-\d\dT/),
      expect.stringMatching(/^budi@toko\.example\tBudi\tagent\t\d{4}-\d\d-\d\dT/),
    ])

    // A new password ends Budi's sessions: his tab is signed out, the old password fails, the new one works.
    const reset = await obrolan(database, 'es kopi susu baru\n', 'agents', 'reset-password', 'budi@toko.example', '--password-stdin')
    expect(reset).toMatchObject({ code: 0, out: ['New password set for budi@toko.example; their sessions have ended.'] })
    expect((await budiTab.call('GET', '/api/auth/socket-token')).status).toBe(401)
    expect((await browser(server).call('POST', '/api/auth/sign-in', { email: 'budi@toko.example', password: 'teh tarik tanpa gula' })).status).toBe(401)
    expect((await browser(server).call('POST', '/api/auth/sign-in', { email: 'budi@toko.example', password: 'es kopi susu baru' })).status).toBe(200)

    const removed = await obrolan(database, '', 'agents', 'remove', 'budi@toko.example')
    expect(removed.code).toBe(0)
    expect(removed.out[0]).toMatch(/^Removed budi@toko\.example/)
    expect((await browser(server).call('POST', '/api/auth/sign-in', { email: 'budi@toko.example', password: 'es kopi susu baru' })).status).toBe(401)
    expect((await obrolan(database, '', 'agents', 'list')).out).toHaveLength(1)
  })

  it('refuses, saying why: a password on the command line, a short password, an unknown or taken email, no action', async () => {
    const database = `sqlite:${join(folder, 'refusals.db')}`
    expect(await obrolan(database, 'kopi susu gula aren', 'agents', 'add', 'sari@toko.example', '--name', 'Sari')).toMatchObject({
      code: 1,
      err: ['obrolan agents add: give the password on standard input with --password-stdin'],
    })
    const short = await obrolan(database, 'pendek\n', 'agents', 'add', 'sari@toko.example', '--name', 'Sari', '--password-stdin')
    expect(short.code).toBe(1)
    expect(short.err[0]).toMatch(/^obrolan agents add: .*at least 10 characters/)
    expect((await obrolan(database, 'kopi susu gula aren\n', 'agents', 'add', 'sari@toko.example', '--name', 'Sari', '--password-stdin')).code).toBe(0)
    const taken = await obrolan(database, 'kopi susu gula aren\n', 'agents', 'add', 'SARI@toko.example', '--name', 'Sari 2', '--password-stdin')
    expect(taken.code).toBe(1)
    expect(taken.err[0]).toMatch(/^obrolan agents add: .*sari@toko\.example/i)
    expect(await obrolan(database, '', 'agents', 'remove', 'nobody@toko.example')).toMatchObject({ code: 1, err: ['obrolan agents remove: No agent with the email nobody@toko.example'] })
    const usage = await obrolan(database, '', 'agents')
    expect(usage.code).toBe(1)
    expect(usage.err[0]).toMatch(/^Usage: obrolan agents add <email>/)
  })

  it('prints its help with every command and setting, and exits non-zero for no command', async () => {
    const help = await obrolan('sqlite::memory:', '', '--help')
    expect(help.code).toBe(0)
    for (const word of ['start', 'agents add', 'reset-password', 'keys add', 'webhooks add', 'DATABASE_URL', 'OBROLAN_SECRET', 'PUBLIC_URL', 'TRUST_PROXY']) {
      expect(help.out.join('\n')).toContain(word)
    }
    expect((await obrolan('sqlite::memory:', '')).code).toBe(1)
  })
})
