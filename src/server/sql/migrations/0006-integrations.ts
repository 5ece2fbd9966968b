/**
 * Migration 0006: what integrations keep. API keys (by their SHA-256 only), webhook subscriptions,
 * the outbox every outgoing delivery waits in (webhooks and WhatsApp replies: durable, retried, in
 * order per conversation; see integrations/outbox-store.ts), the link from a WhatsApp message id to
 * the message it carried, and a message's delivery on its channel (JSON, `MessageDelivery`).
 */
import type { SqlMigration } from './types'

export const integrations: SqlMigration = async ({ run, engine }) => {
  await run('alter table messages add column delivery text')
  await run(`
    create table api_keys (
      id text primary key,
      name text not null,
      prefix text not null,
      hash text not null unique,
      scopes text not null,
      created_by text,
      created_at double precision not null,
      last_used_at double precision,
      revoked_at double precision
    )`)
  await run(`
    create table webhook_subscriptions (
      id text primary key,
      url text not null,
      events text not null,
      secret text not null,
      created_by text,
      created_at double precision not null
    )`)
  await run(`
    create table outbox (
      id ${engine === 'sqlite' ? 'integer primary key autoincrement' : 'bigserial primary key'},
      queue text not null,
      event_id text not null,
      event_type text not null,
      room_id text not null,
      body text not null,
      state text not null,
      attempts integer not null default 0,
      created_at double precision not null,
      next_attempt_at double precision not null,
      locked_until double precision not null default 0,
      last_attempt_at double precision,
      last_status integer,
      last_error text,
      last_response text,
      done_at double precision,
      unique (queue, event_id)
    )`)
  // The worker's two questions: what is due, and is an older delivery of the same queue and room still pending.
  await run('create index outbox_due on outbox (state, next_attempt_at)')
  await run('create index outbox_order on outbox (queue, room_id, state, id)')
  await run(`
    create table whatsapp_messages (
      wamid text primary key,
      room_id text not null,
      message_id text not null,
      created_at double precision not null
    )`)
}
