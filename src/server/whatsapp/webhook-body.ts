/**
 * The parts of the Cloud API's webhook body the channel reads (`object: whatsapp_business_account`,
 * `entry[].changes[].value` with `metadata`, `contacts[]`, `messages[]` and `statuses[]`), checked
 * with a schema that lets everything else through: Meta adds fields, and a message type we do
 * not show is still a message.
 */
import * as v from 'valibot'

const text = v.optional(v.string())

const message = v.looseObject({
  from: v.string(),
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(110)),
  timestamp: v.optional(v.string()),
  type: v.string(),
  text: v.optional(v.looseObject({ body: v.string() })),
  image: v.optional(v.looseObject({ caption: text })),
  video: v.optional(v.looseObject({ caption: text })),
  document: v.optional(v.looseObject({ caption: text, filename: text })),
  button: v.optional(v.looseObject({ text })),
  interactive: v.optional(v.looseObject({ button_reply: v.optional(v.looseObject({ title: text })), list_reply: v.optional(v.looseObject({ title: text })) })),
})

const status = v.looseObject({
  id: v.string(),
  status: v.string(),
  recipient_id: v.optional(v.string()),
  errors: v.optional(v.array(v.looseObject({ code: v.optional(v.number()), title: text, message: text, error_data: v.optional(v.looseObject({ details: text })) }))),
})

export const webhookBody = v.looseObject({
  object: v.literal('whatsapp_business_account'),
  entry: v.array(
    v.looseObject({
      changes: v.array(
        v.looseObject({
          value: v.looseObject({
            metadata: v.optional(v.looseObject({ phone_number_id: v.string() })),
            contacts: v.optional(v.array(v.looseObject({ wa_id: v.string(), profile: v.optional(v.looseObject({ name: text })) }))),
            messages: v.optional(v.array(message)),
            statuses: v.optional(v.array(status)),
          }),
        }),
      ),
    }),
  ),
})

export type WebhookBody = v.InferOutput<typeof webhookBody>
export type InboundMessage = v.InferOutput<typeof message>
export type StatusUpdate = v.InferOutput<typeof status>

/** What an agent sees of a message: its text, a caption, or the type it was. */
export function textOf(message: InboundMessage): string {
  const caption = message.image?.caption ?? message.video?.caption ?? message.document?.caption
  switch (message.type) {
    case 'text':
      return message.text?.body ?? ''
    case 'button':
      return message.button?.text ?? '[button]'
    case 'interactive':
      return message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title ?? '[interactive reply]'
    default:
      return caption ? `[${message.type}] ${caption}` : `[${message.type}: open WhatsApp to see it]`
  }
}

/** The Cloud API's reason for a failure, in its own words, for agents. */
export function reasonOf(error: { code?: number; title?: string; message?: string; error_data?: { details?: string } } | undefined): string {
  if (!error) return 'WhatsApp refused the message'
  const head = error.title ?? error.message ?? 'WhatsApp refused the message'
  const code = error.code !== undefined && !head.includes(String(error.code)) ? ` (${error.code})` : ''
  const details = error.error_data?.details
  return `${head}${code}${details ? `: ${details}` : ''}`
}
