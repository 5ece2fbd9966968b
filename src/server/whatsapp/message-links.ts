/** Which message a WhatsApp message id (`wamid`) carried, so statuses find the reply they are about (migration 0006). */
import type { SqlEngine } from '../sql/engine'

export interface MessageLink {
  roomId: string
  messageId: string
}

export class MessageLinks {
  constructor(private readonly engine: SqlEngine) {}

  async add(wamid: string, link: MessageLink, now: number): Promise<void> {
    await this.engine.db
      .insertInto('whatsapp_messages')
      .values({ wamid, room_id: link.roomId, message_id: link.messageId, created_at: now })
      .onConflict((conflict) => conflict.column('wamid').doNothing())
      .execute()
  }

  async find(wamid: string): Promise<MessageLink | undefined> {
    const row = await this.engine.db.selectFrom('whatsapp_messages').select(['room_id', 'message_id']).where('wamid', '=', wamid).executeTakeFirst()
    return row && { roomId: row.room_id, messageId: row.message_id }
  }
}
