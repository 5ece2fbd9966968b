/**
 * The team's canned replies: saved answers an agent inserts in the inbox with `/name`. Every
 * signed-in agent may read, save and delete them (they are the team's, not one agent's).
 */
import { randomUUID } from 'node:crypto'
import { messageTextProblem } from '../../protocol'
import { AccountError, type Accounts } from '../accounts/accounts'
import type { AccountStore } from '../accounts/types'
import type { ServerContext } from '../context'
import type { OriginPolicy } from '../origin-policy'
import { accountGuard } from './account-guard'
import { ok, readJson } from './exchange'
import type { Route } from './router'

const NAME = /^[a-z0-9_-]{1,32}$/

export function cannedReplyRoutes(ctx: ServerContext, accounts: Accounts, store: AccountStore, origins: OriginPolicy): Route[] {
  const { route, requireAgent } = accountGuard(accounts, origins)
  return [
    route(['GET', 'POST'], /^\/api\/canned-replies$/, async (ex) => {
      if (!(await requireAgent(ex))) return
      if (ex.method === 'GET' || ex.method === 'HEAD') return ok(ex, 'ok', { replies: await store.listCannedReplies() })
      const body = await readJson(ex)
      const name = typeof body.name === 'string' ? body.name.trim().toLowerCase() : ''
      if (!NAME.test(name)) throw new AccountError('bad_request', 'name must be 1 to 32 lower-case letters, digits, "-" or "_" (it is typed after /)')
      const text = typeof body.text === 'string' ? body.text : ''
      const problem = messageTextProblem(text, ctx.maxTextLength)
      if (problem) throw new AccountError('bad_request', problem.message.replace('Message text', 'text'))
      const reply = await store.saveCannedReply({ id: randomUUID(), name, text, updatedAt: ctx.now() })
      ok(ex, 'Saved', { reply })
    }),
    route(['DELETE'], /^\/api\/canned-replies\/([^/]+)$/, async (ex) => {
      if (!(await requireAgent(ex))) return
      if (!(await store.deleteCannedReply(ex.params[0] ?? ''))) throw new AccountError('not_found', 'No such canned reply')
      ok(ex, 'Deleted', {})
    }),
  ]
}
