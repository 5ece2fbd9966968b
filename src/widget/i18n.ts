/**
 * UI strings. English and Indonesian are built in; a site overrides any string with the
 * `strings` option. Counted strings take `{count}`; they are plain strings (no functions) so the
 * script-tag embed can pass them as JSON.
 */
import type { ConnectionStatus, MessageStatus } from '../index'

export interface WidgetStrings {
  title: string
  openChat: string
  closeChat: string
  unreadOne: string
  /** `{count}` is replaced with the number. */
  unreadMany: string
  agentHere: string
  agentAway: string
  connected: string
  connecting: string
  reconnecting: string
  disconnected: string
  /** The server cannot be reached; the client keeps trying. */
  unreachable: string
  offline: string
  messages: string
  you: string
  agent: string
  visitor: string
  edited: string
  deleted: string
  sending: string
  sent: string
  delivered: string
  read: string
  notSent: string
  retry: string
  discard: string
  edit: string
  delete: string
  editing: string
  cancel: string
  newMessages: string
  earlierMessages: string
  /** Shown above the messages when the server lost the conversation (a restart without its data). */
  conversationLost: string
  typing: string
  inputLabel: string
  placeholder: string
  send: string
  save: string
  /** The button that opens the file picker. */
  attach: string
  /** Over the panel while files are dragged onto it. */
  dropFiles: string
  uploading: string
  /** A file waiting for the connection before it can go up. */
  waitingToUpload: string
  openImage: string
  closeImage: string
  download: string
  addReaction: string
  /** A reaction chip, read out: `{emoji}` and `{count}` are replaced. */
  reactionCount: string
  /** The same, when the visitor is among those who reacted. */
  reactionMine: string
}

export const en: WidgetStrings = {
  title: 'Chat with us',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unreadOne: '1 unread message',
  unreadMany: '{count} unread messages',
  agentHere: 'An agent is here',
  agentAway: 'Agent away',
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  disconnected: 'Disconnected',
  unreachable: 'Disconnected, retrying…',
  offline: 'Offline',
  messages: 'Messages',
  you: 'You',
  agent: 'Agent',
  visitor: 'Visitor',
  edited: 'edited',
  deleted: 'This message was deleted',
  sending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  notSent: 'Not sent',
  retry: 'Retry',
  discard: 'Discard',
  edit: 'Edit',
  delete: 'Delete',
  editing: 'Editing message',
  cancel: 'Cancel',
  newMessages: 'New messages',
  earlierMessages: 'Show earlier messages',
  conversationLost: 'Earlier messages are no longer available. Anything unsent has been sent again.',
  typing: 'Agent is typing…',
  inputLabel: 'Message',
  placeholder: 'Type a message…',
  send: 'Send',
  save: 'Save',
  attach: 'Attach a file',
  dropFiles: 'Drop files to send them',
  uploading: 'Uploading',
  waitingToUpload: 'Waiting for the connection',
  openImage: 'Open image',
  closeImage: 'Close image',
  download: 'Download',
  addReaction: 'Add a reaction',
  reactionCount: '{emoji} {count}',
  reactionMine: '{emoji} {count}, including you',
}

export const id: WidgetStrings = {
  title: 'Obrolan dengan kami',
  openChat: 'Buka obrolan',
  closeChat: 'Tutup obrolan',
  unreadOne: '1 pesan belum dibaca',
  unreadMany: '{count} pesan belum dibaca',
  agentHere: 'Agen sedang hadir',
  agentAway: 'Agen sedang tidak ada',
  connected: 'Terhubung',
  connecting: 'Menghubungkan…',
  reconnecting: 'Menghubungkan ulang…',
  disconnected: 'Terputus',
  unreachable: 'Terputus, mencoba lagi…',
  offline: 'Luring',
  messages: 'Pesan',
  you: 'Anda',
  agent: 'Agen',
  visitor: 'Pengunjung',
  edited: 'diedit',
  deleted: 'Pesan ini telah dihapus',
  sending: 'Mengirim',
  sent: 'Terkirim',
  delivered: 'Diterima',
  read: 'Dibaca',
  notSent: 'Tidak terkirim',
  retry: 'Coba lagi',
  discard: 'Buang',
  edit: 'Ubah',
  delete: 'Hapus',
  editing: 'Mengubah pesan',
  cancel: 'Batal',
  newMessages: 'Pesan baru',
  earlierMessages: 'Tampilkan pesan sebelumnya',
  conversationLost: 'Pesan sebelumnya tidak tersedia lagi. Pesan yang belum terkirim sudah dikirim ulang.',
  typing: 'Agen sedang mengetik…',
  inputLabel: 'Pesan',
  placeholder: 'Ketik pesan…',
  send: 'Kirim',
  save: 'Simpan',
  attach: 'Lampirkan berkas',
  dropFiles: 'Lepaskan berkas untuk mengirimnya',
  uploading: 'Mengunggah',
  waitingToUpload: 'Menunggu koneksi',
  openImage: 'Buka gambar',
  closeImage: 'Tutup gambar',
  download: 'Unduh',
  addReaction: 'Tambahkan reaksi',
  reactionCount: '{emoji} {count}',
  reactionMine: '{emoji} {count}, termasuk Anda',
}

export const BUILT_IN_STRINGS = { en, id } as const
export type BuiltInLocale = keyof typeof BUILT_IN_STRINGS

// Own keys only: `'constructor' in BUILT_IN_STRINGS` is true.
const isBuiltIn = (tag: string): tag is BuiltInLocale => Object.prototype.hasOwnProperty.call(BUILT_IN_STRINGS, tag)

/** 'id' and 'id-ID' → 'id'; 'EN_gb' → 'en'; anything unknown → 'en'. */
export function pickLocale(locale: string | undefined): BuiltInLocale {
  const tag = (locale ?? '').trim().toLowerCase().replace(/_/g, '-')
  if (isBuiltIn(tag)) return tag
  const language = tag.split('-')[0] ?? ''
  return isBuiltIn(language) ? language : 'en'
}

/** The built-in strings for `locale`, with `overrides` on top (non-string overrides are ignored). */
export function resolveStrings(locale: string | undefined, overrides?: Partial<WidgetStrings>): WidgetStrings {
  const strings = { ...BUILT_IN_STRINGS[pickLocale(locale)] }
  if (overrides) {
    for (const key of Object.keys(strings) as (keyof WidgetStrings)[]) {
      const value = overrides[key]
      if (typeof value === 'string') strings[key] = value
    }
  }
  return strings
}

export function unreadLabel(strings: WidgetStrings, count: number): string {
  return count === 1 ? strings.unreadOne : strings.unreadMany.replace('{count}', String(count))
}

export function statusLabel(strings: WidgetStrings, status: ConnectionStatus): string {
  return strings[status]
}

export function tickLabel(strings: WidgetStrings, status: MessageStatus): string {
  return status === 'pending' ? strings.sending : status === 'failed' ? strings.notSent : strings[status]
}

/**
 * `HH:MM` in the page's (or the chosen) locale. An invalid tag (Intl throws RangeError) falls
 * back to the built-in locale it resolves to, so a bad option never breaks rendering.
 */
export function createTimeFormatter(locale: string | undefined): (time: number) => string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' }
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat(locale, options)
  } catch {
    format = new Intl.DateTimeFormat(pickLocale(locale), options)
  }
  return (time) => format.format(time)
}
