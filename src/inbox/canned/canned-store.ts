/**
 * The team's canned replies as one store for the signed-in inbox: loaded once, again whenever the
 * agent starts a `/` (a teammate may have added one), and after every change made here. Each call
 * resolves to what happened, in words when it failed.
 */
import { atom, type ReadableAtom } from 'nanostores'
import type { AuthApi } from '../api/auth-api'
import { failureOf, type Failure } from '../state/session'
import type { CannedReply } from './slash'

export type CannedOutcome = { ok: true; reply?: CannedReply } | { ok: false; failure: Failure }

export interface CannedStore {
  readonly $replies: ReadableAtom<CannedReply[] | undefined>
  load(): Promise<CannedOutcome>
  /** Saves under `name`; when `replacing` had another name, that one is deleted after. */
  save(input: { name: string; text: string }, replacing?: CannedReply): Promise<CannedOutcome>
  remove(reply: CannedReply): Promise<CannedOutcome>
}

const byName = (a: CannedReply, b: CannedReply) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)

export function createCannedStore(api: AuthApi): CannedStore {
  const $replies = atom<CannedReply[] | undefined>(undefined)
  const store: CannedStore = {
    $replies,
    async load() {
      const result = await api.cannedReplies()
      if (!result.ok) return { ok: false, failure: failureOf(result) }
      $replies.set(result.data.replies.slice().sort(byName))
      return { ok: true }
    },
    async save(input, replacing) {
      const result = await api.saveCannedReply(input)
      if (!result.ok) return { ok: false, failure: failureOf(result) }
      const saved = result.data.reply
      if (replacing && replacing.name !== saved.name) {
        const removed = await api.deleteCannedReply(replacing.id)
        if (!removed.ok && removed.status !== 404) return { ok: false, failure: failureOf(removed) }
      }
      const rest = ($replies.get() ?? []).filter((reply) => reply.name !== saved.name && reply.id !== replacing?.id)
      $replies.set([...rest, saved].sort(byName))
      return { ok: true, reply: saved }
    },
    async remove(reply) {
      const result = await api.deleteCannedReply(reply.id)
      // Already gone (a teammate deleted it): as deleted as it gets.
      if (!result.ok && result.status !== 404) return { ok: false, failure: failureOf(result) }
      $replies.set(($replies.get() ?? []).filter((held) => held.id !== reply.id))
      return { ok: true }
    },
  }
  return store
}
