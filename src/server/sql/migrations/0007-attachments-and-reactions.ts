/**
 * Migration 0007: a message's file (the attachment's JSON: id, name, type, size, width, height; the
 * bytes are in the file store) and its reactions (JSON, in the order the protocol gives them).
 * Both are read with the message and written under the room's lock, so neither needs a table.
 */
import type { SqlMigration } from './types'

export const attachmentsAndReactions: SqlMigration = async ({ run }) => {
  await run('alter table messages add column attachment text')
  await run('alter table messages add column reactions text')
}
