/**
 * `obrolan keys` on the database a running server uses: a key made on the command line works on
 * the REST API at once, is listed without the key itself, and stops working when revoked.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useCli } from '../support/cli-in-process'
import { useHarness } from '../server/helpers'
import { api } from '../server/owner-browser'

const cli = useCli('keys')
const folder = cli.folder
const harness = useHarness()

const obrolan = (database: string, ...argv: string[]) => cli.run(database, argv)

describe('obrolan keys', () => {
  it('adds, lists and revokes keys that a running server honours', async () => {
    const database = `sqlite:${join(folder, 'keys.db')}`
    const server = await harness.start({ database, accounts: true })
    const added = await obrolan(database, 'keys', 'add', 'Nightly CRM sync', '--scopes', 'read,write')
    expect(added.code).toBe(0)
    expect(added.out).toEqual([expect.stringMatching(/^obk_[\w-]{43}$/)])
    expect(added.err.join('\n')).toMatch(/Made API key "Nightly CRM sync" \(read, write\).*shown this once/)
    const token = added.out[0]!
    expect((await api(server, token)('GET', '/conversations')).status).toBe(200)

    const reader = await obrolan(database, 'keys', 'add', 'Status page')
    expect(reader.err.join('')).toMatch(/\(read\)/)

    const listed = await obrolan(database, 'keys', 'list')
    expect(listed.out).toHaveLength(2)
    expect(listed.out[0]).toMatch(new RegExp(`^[0-9a-f-]{36}\\t${token.slice(0, 12)}…\\tNightly CRM sync\\tread,write\\tmade \\S+\\tlast used \\S+$`))
    expect(listed.out[1]).toMatch(/\tStatus page\tread\tmade \S+\tnever used$/)
    expect(listed.out.join('\n')).not.toContain(token)

    const revoked = await obrolan(database, 'keys', 'revoke', token.slice(0, 12))
    expect(revoked).toMatchObject({ code: 0, out: [expect.stringMatching(/^Revoked API key "Nightly CRM sync"/)] })
    expect((await api(server, token)('GET', '/conversations')).status).toBe(401)
    expect((await obrolan(database, 'keys', 'list')).out[0]).toMatch(/\trevoked \S+$/)

    expect(await obrolan(database, 'keys', 'revoke', 'nope')).toMatchObject({ code: 1, err: ['obrolan keys revoke: No API key nope'] })
    expect(await obrolan(database, 'keys', 'add', 'x', '--scopes', 'admin')).toMatchObject({ code: 1, err: ['obrolan keys add: scopes must be read, write, or both'] })
    expect((await obrolan(database, 'keys')).code).toBe(1)
  })
})
