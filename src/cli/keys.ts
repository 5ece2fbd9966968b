/**
 * `obrolan keys add|list|revoke`: REST API keys on the database the server uses (README "REST
 * API"), with the server stopped or running. A new key is printed once, to standard output alone,
 * so `KEY=$(obrolan keys add …)` keeps it out of the terminal's scrollback if wanted.
 */
import { AccountError } from '../server/accounts/accounts'
import { createApiKeys } from '../server/integrations/api-keys'
import { openAccountStore } from '../server/sql/accounts-entry'
import type { ParsedArgs } from './args'
import type { Settings } from './settings'
import type { Console } from './start'
import { databaseUrlOf } from './start'

const USAGE = 'Usage: obrolan keys add <name> [--scopes read|write|read,write] | list | revoke <id or prefix>'

export async function keysCommand(words: string[], args: ParsedArgs, settings: Settings, console: Console): Promise<number> {
  const [action, name] = words
  if (!action || !['add', 'list', 'revoke'].includes(action) || (action !== 'list' && !name)) {
    console.err(USAGE)
    return 1
  }
  const opened = await openAccountStore(databaseUrlOf(settings))
  try {
    const keys = createApiKeys({ store: opened.store, now: Date.now })
    switch (action) {
      case 'add': {
        const { key, token } = await keys.create('command-line', { name, scopes: args.flags['--scopes'] ?? 'read' })
        console.err(`Made API key "${key.name}" (${key.scopes.join(', ')}), id ${key.id}. It is shown this once; keep it somewhere safe:`)
        console.out(token)
        return 0
      }
      case 'list': {
        const list = await keys.list()
        if (list.length === 0) console.out('No API keys yet.')
        for (const key of list) {
          const state = key.revokedAt !== undefined ? `revoked ${iso(key.revokedAt)}` : key.lastUsedAt !== undefined ? `last used ${iso(key.lastUsedAt)}` : 'never used'
          console.out(`${key.id}\t${key.prefix}…\t${key.name}\t${key.scopes.join(',')}\tmade ${iso(key.createdAt)}\t${state}`)
        }
        return 0
      }
      default: {
        const match = (await keys.list()).filter((key) => key.id === name || (name!.length >= 8 && key.prefix.startsWith(name!)))
        if (match.length !== 1) throw new AccountError('not_found', match.length === 0 ? `No API key ${name}` : `${name} names ${match.length} keys; give the id`)
        await keys.revoke('command-line', match[0]!.id)
        console.out(`Revoked API key "${match[0]!.name}" (${match[0]!.id}); requests with it are refused from now on.`)
        return 0
      }
    }
  } catch (error) {
    if (error instanceof AccountError) {
      console.err(`obrolan keys ${action}: ${error.message}`)
      return 1
    }
    throw error
  } finally {
    await opened.close()
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()
