/**
 * `obrolan webhooks add|list|remove|log`: webhook subscriptions on the database the server uses
 * (README "Webhooks"), with the server stopped or running (a running server sees a change within
 * 2 s). The signing secret of a new subscription is printed once, to standard output alone.
 */
import { AccountError } from '../server/accounts/accounts'
import { openWebhooks } from '../server/integrations/command-line-entry'
import type { ParsedArgs } from './args'
import type { Settings } from './settings'
import type { Console } from './start'
import { databaseUrlOf } from './start'

const USAGE = 'Usage: obrolan webhooks add <url> [--events message.created,…] | list | remove <id> | log <id>'

export async function webhooksCommand(words: string[], args: ParsedArgs, settings: Settings, console: Console): Promise<number> {
  const [action, target] = words
  if (!action || !['add', 'list', 'remove', 'log'].includes(action) || (action !== 'list' && !target)) {
    console.err(USAGE)
    return 1
  }
  const opened = await openWebhooks(databaseUrlOf(settings))
  const { webhooks } = opened
  try {
    switch (action) {
      case 'add': {
        const { subscription, secret } = await webhooks.create('command-line', { url: target, events: args.flags['--events'] })
        console.err(`Added webhook ${subscription.id} to ${subscription.url} for ${subscription.events.join(', ')}. Its signing secret is shown this once:`)
        console.out(secret)
        return 0
      }
      case 'list': {
        const list = await webhooks.list()
        if (list.length === 0) console.out('No webhooks yet.')
        for (const subscription of list) console.out(`${subscription.id}\t${subscription.url}\t${subscription.events.join(',')}\tadded ${iso(subscription.createdAt)}`)
        return 0
      }
      case 'remove': {
        await webhooks.remove('command-line', target!)
        console.out(`Removed webhook ${target}; deliveries still waiting for it are given up.`)
        return 0
      }
      default: {
        const log = await webhooks.log(target!)
        if (log.length === 0) console.out('No deliveries yet.')
        for (const delivery of log) {
          const answer = delivery.lastStatus !== undefined ? `HTTP ${delivery.lastStatus}` : (delivery.lastError ?? '—')
          const when = delivery.state === 'pending' && delivery.nextAttemptAt !== undefined ? `next try ${iso(delivery.nextAttemptAt)}` : delivery.doneAt !== undefined ? iso(delivery.doneAt) : ''
          console.out(`${delivery.eventId}\t${delivery.eventType}\t${delivery.state}\t${delivery.attempts} attempt(s)\t${answer}\t${when}`)
        }
        return 0
      }
    }
  } catch (error) {
    if (error instanceof AccountError) {
      console.err(`obrolan webhooks ${action}: ${error.message}`)
      return 1
    }
    throw error
  } finally {
    await opened.close()
  }
}

const iso = (ms: number): string => new Date(ms).toISOString()
