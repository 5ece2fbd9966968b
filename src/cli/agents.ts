/**
 * `obrolan agents add|list|remove|reset-password`: account management on the database the
 * server uses, with the server stopped or running (the database takes care of both). Passwords
 * come from standard input only, never from the command line, which other users of the machine
 * can read in the process list.
 */
import { AccountError, createAccounts } from '../server/accounts/accounts'
import { openAccountStore } from '../server/sql/accounts-entry'
import type { ParsedArgs } from './args'
import { loadOrCreateSecret } from './data-dir'
import type { Settings } from './settings'
import type { Console } from './start'
import { databaseUrlOf } from './start'

export async function agentsCommand(words: string[], args: ParsedArgs, settings: Settings, console: Console, stdin: () => Promise<string>): Promise<number> {
  const [action, email] = words
  const needsEmail = action === 'add' || action === 'remove' || action === 'reset-password'
  if (!action || !['add', 'list', 'remove', 'reset-password'].includes(action) || (needsEmail && !email)) {
    console.err('Usage: obrolan agents add <email> --name <name> --password-stdin [--owner] | list | remove <email> | reset-password <email> --password-stdin')
    return 1
  }
  const opened = await openAccountStore(databaseUrlOf(settings))
  try {
    const accounts = createAccounts({ store: opened.store, secret: settings.secret ?? loadOrCreateSecret(settings.dataDir).secret, now: Date.now })
    const password = async (): Promise<string> => {
      if (!args.switches.has('--password-stdin')) throw new AccountError('bad_request', 'give the password on standard input with --password-stdin')
      return (await stdin()).replace(/\r?\n$/, '')
    }
    switch (action) {
      case 'list': {
        const agents = await accounts.listAgents()
        if (agents.length === 0) console.out('No agent accounts yet.')
        for (const agent of agents) console.out(`${agent.email}\t${agent.name}\t${agent.role}\t${new Date(agent.createdAt).toISOString()}`)
        return 0
      }
      case 'add': {
        const agent = await accounts.addAgent({ email, name: args.flags['--name'], password: await password(), role: args.switches.has('--owner') ? 'owner' : 'agent' })
        console.out(`Created ${agent.role} ${agent.email} (${agent.name}).`)
        return 0
      }
      case 'remove': {
        const agent = await accounts.findAgentByEmail(email!)
        if (!agent) throw new AccountError('not_found', `No agent with the email ${email}`)
        await accounts.removeAgent('command-line', agent.id)
        console.out(`Removed ${agent.email}; their sessions have ended (a running server disconnects them when they next connect).`)
        return 0
      }
      default: {
        const agent = await accounts.resetPassword(email!, await password())
        console.out(`New password set for ${agent.email}; their sessions have ended.`)
        return 0
      }
    }
  } catch (error) {
    if (error instanceof AccountError) {
      console.err(`obrolan agents ${action}: ${error.message}`)
      return 1
    }
    throw error
  } finally {
    await opened.close()
  }
}
