/**
 * The shapes the REST API answers with, made from the protocol's schemas (one definition for the
 * socket and for REST), plus the one shape only REST has: a session's presence as the status
 * route serves it (`customerConnected`, `totalCustomer`).
 */
import * as v from 'valibot'
import { requestSchemas, schemas } from '../../protocol'
import type { Presence } from '../../protocol'

const { requests } = requestSchemas

/** The protocol's id: 1 to 128 characters of well-formed Unicode. */
export const idField = requests.join_room.entries.roomId
export const roomIdParam = idField
export const messageIdParam = requests.edit_message.entries.id

export const conversationData = v.object({ conversation: schemas.conversation })
export const conversationListData = v.object({ conversations: v.array(schemas.conversation), cursor: v.optional(v.string()) })
export const messageData = v.object({ message: schemas.message })
export const messagePageData = v.object({ messages: v.array(schemas.message), hasMore: v.boolean() })

/** The status route's shape (`GET /api/session/:id/connection-status`). */
export const sessionPresence = v.object({
  users: schemas.presenceUsers,
  customerConnected: v.boolean(),
  agentConnected: v.boolean(),
  totalCustomer: v.pipe(v.number(), v.integer(), v.minValue(0)),
  totalAgent: v.pipe(v.number(), v.integer(), v.minValue(0)),
})

export const activeSessionsData = v.object({ sessions: v.array(v.object({ sessionId: roomIdParam, ...sessionPresence.entries })) })

export const agentsData = v.object({
  agents: v.array(v.object({ id: v.string(), name: v.string(), email: v.string(), role: v.picklist(['owner', 'agent']) })),
})

/** The status route answers in the names the endpoints it replaced used, so their pollers keep working. */
export function routePresence({ users, visitorConnected, agentConnected, totalVisitor, totalAgent }: Presence) {
  return { users, customerConnected: visitorConnected, agentConnected, totalCustomer: totalVisitor, totalAgent }
}
