/**
 * Every schema version, in order. A later feature (agent accounts, sessions, API keys, webhooks,
 * attachments) adds its tables as the next numbered migration here and never edits a released one:
 * a database records which migrations it has run, and each runs once.
 */
import { conversations } from './0001-conversations'
import { messageSearch } from './0002-message-search'
import { agentAccounts } from './0003-agent-accounts'
import { assignmentAndContext } from './0004-assignment-and-context'
import { cannedReplies } from './0005-canned-replies'
import { integrations } from './0006-integrations'
import { attachmentsAndReactions } from './0007-attachments-and-reactions'
import { visitorContact } from './0008-visitor-contact'
import { agentReads } from './0009-agent-reads'
import type { SqlMigration } from './types'

export const MIGRATIONS: readonly (readonly [name: string, migration: SqlMigration])[] = [
  ['0001-conversations', conversations],
  ['0002-message-search', messageSearch],
  ['0003-agent-accounts', agentAccounts],
  ['0004-assignment-and-context', assignmentAndContext],
  ['0005-canned-replies', cannedReplies],
  ['0006-integrations', integrations],
  ['0007-attachments-and-reactions', attachmentsAndReactions],
  ['0008-visitor-contact', visitorContact],
  ['0009-agent-reads', agentReads],
]
