/** The protocol version this package speaks; sent in the handshake as `auth.v`. */
export const PROTOCOL_VERSION = 2

/** Default longest message text, in UTF-16 code units. Servers may lower it; `session` says. */
export const MAX_TEXT_LENGTH = 4000

/** Default and largest page of messages a history request returns. */
export const DEFAULT_PAGE = 50
export const MAX_PAGE = 200

/** Longest id (visitor, room, message, client) accepted on the wire. */
export const MAX_ID_LENGTH = 128

/** Longest search query (`search_messages`). */
export const MAX_SEARCH_LENGTH = 200

/** Most characters of a message a conversation list carries (`Conversation.lastMessage`). */
export const PREVIEW_LENGTH = 140

/** Default and largest page of an agent's conversation list. */
export const CONVERSATION_PAGE = 200
export const MAX_CONVERSATION_PAGE = 500

/** Bounds of what a visitor's browser may report (`VisitorContext`); longer values are refused. */
export const CONTEXT_LIMITS = { url: 1024, title: 200, text: 256, pages: 5 } as const

/** Default largest file a server accepts: 10 MB (10 × 1024 × 1024 bytes). Servers may change it; `session.uploads` says. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/** Longest file name kept, in UTF-16 code units; longer names are cut, keeping the extension. */
export const MAX_FILE_NAME = 200

/** The reactions a server offers unless told otherwise; `session.reactions` says. */
export const DEFAULT_REACTIONS: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🙏']

/** Longest reaction accepted in a server's configured set (an emoji with modifiers and joiners). */
export const MAX_EMOJI_LENGTH = 16
/** Longest reason a channel's refusal is kept with (`MessageDelivery.error`). */
export const MAX_DELIVERY_ERROR_LENGTH = 500

/**
 * `clientId` prefixes the server keeps for messages that do not come from a socket: the REST API
 * (`api:`) and WhatsApp (`whatsapp:`). A socket's `send_message` with one is refused, so neither
 * can take the other's idempotency key.
 */
export const RESERVED_CLIENT_ID_PREFIXES = ['api:', 'whatsapp:'] as const
/** Bounds of what a visitor tells about itself (`VisitorContact`) and of a site's pre-chat form. */
export const CONTACT_LIMITS = { name: 200, email: 254, value: 500, fields: 20, label: 80, options: 20 } as const
