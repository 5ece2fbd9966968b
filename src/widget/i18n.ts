/**
 * UI strings. English and Indonesian are built in; a site overrides any string with the
 * `strings` option. Counted strings take `{count}`; they are plain strings (no functions) so the
 * script-tag embed can pass them as JSON.
 */
import type { ConnectionStatus, MessageStatus } from '../index'
import { LAUNCHER_STRINGS, pickLocale, type BuiltInLocale } from './launcher-strings'

export { pickLocale, type BuiltInLocale }

export interface WidgetStrings {
  title: string
  openChat: string
  closeChat: string
  unreadOne: string
  /** `{count}` is replaced with the number. */
  unreadMany: string
  agentHere: string
  /** At least one agent is online and it is within business hours. */
  agentOnline: string
  /** Nobody can answer now (no agent online, or outside business hours). */
  agentAway: string
  /** `{minutes}`: the site's usual reply time. */
  replyWithin: string
  awayNoAgents: string
  /** `{time}`: when business hours begin again, in the visitor's time. */
  awayUntil: string
  emailAsk: string
  emailAskRequired: string
  emailLabel: string
  emailPlaceholder: string
  /** `{email}` */
  emailSaved: string
  emailInvalid: string
  emailFirst: string
  change: string
  optional: string
  preChatTitle: string
  preChatIntro: string
  nameLabel: string
  /** `{field}`: the field's label. */
  fieldRequired: string
  choose: string
  startChat: string
  conversationClosed: string
  reopenHint: string
  messageDeleted: string
  undo: string
  muteSounds: string
  errorTooLong: string
  errorRateLimited: string
  errorOutboxFull: string
  errorOffline: string
  errorFailed: string
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
  ...LAUNCHER_STRINGS.en,
  closeChat: 'Close chat',
  unreadOne: '1 unread message',
  unreadMany: '{count} unread messages',
  agentHere: 'An agent is here',
  agentOnline: 'We’re online',
  agentAway: 'We’re away',
  replyWithin: 'We usually reply within {minutes} min',
  awayNoAgents: 'No one is online right now. Leave a message and we’ll reply as soon as we can.',
  awayUntil: 'We’re back {time}. Leave a message and we’ll reply then.',
  emailAsk: 'Get the reply by e-mail too:',
  emailAskRequired: 'Leave your e-mail address so we can reply:',
  emailLabel: 'E-mail',
  emailPlaceholder: 'you@example.com',
  emailSaved: 'We’ll also reply to {email}.',
  emailInvalid: 'That is not an e-mail address.',
  emailFirst: 'Leave your e-mail address first, so we can reply.',
  change: 'Change',
  optional: 'optional',
  preChatTitle: 'Before we start',
  preChatIntro: 'Tell us a little about yourself.',
  nameLabel: 'Name',
  fieldRequired: '{field} is required.',
  choose: 'Choose…',
  startChat: 'Start chat',
  conversationClosed: 'This conversation was closed.',
  reopenHint: 'Closed. A new message opens it again.',
  messageDeleted: 'Message deleted.',
  undo: 'Undo',
  muteSounds: 'Mute sounds',
  errorTooLong: 'This message is too long.',
  errorRateLimited: 'You are sending messages too fast. Please wait a moment.',
  errorOutboxFull: 'Too many messages are waiting to be sent.',
  errorOffline: 'Not connected. Try again when the connection is back.',
  errorFailed: 'Something went wrong. Please try again.',
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
  ...LAUNCHER_STRINGS.id,
  closeChat: 'Tutup obrolan',
  unreadOne: '1 pesan belum dibaca',
  unreadMany: '{count} pesan belum dibaca',
  agentHere: 'Agen sedang hadir',
  agentOnline: 'Kami sedang online',
  agentAway: 'Kami sedang tidak ada',
  replyWithin: 'Biasanya kami membalas dalam {minutes} menit',
  awayNoAgents: 'Saat ini tidak ada yang online. Tinggalkan pesan, kami akan membalas secepatnya.',
  awayUntil: 'Kami kembali {time}. Tinggalkan pesan, kami akan membalas saat itu.',
  emailAsk: 'Terima balasan lewat e-mail juga:',
  emailAskRequired: 'Tinggalkan alamat e-mail agar kami dapat membalas:',
  emailLabel: 'E-mail',
  emailPlaceholder: 'anda@contoh.com',
  emailSaved: 'Kami juga akan membalas ke {email}.',
  emailInvalid: 'Itu bukan alamat e-mail.',
  emailFirst: 'Isi alamat e-mail Anda dulu, agar kami dapat membalas.',
  change: 'Ubah',
  optional: 'opsional',
  preChatTitle: 'Sebelum mulai',
  preChatIntro: 'Ceritakan sedikit tentang Anda.',
  nameLabel: 'Nama',
  fieldRequired: '{field} wajib diisi.',
  choose: 'Pilih…',
  startChat: 'Mulai obrolan',
  conversationClosed: 'Obrolan ini telah ditutup.',
  reopenHint: 'Ditutup. Pesan baru akan membukanya lagi.',
  messageDeleted: 'Pesan dihapus.',
  undo: 'Urungkan',
  muteSounds: 'Matikan suara',
  errorTooLong: 'Pesan ini terlalu panjang.',
  errorRateLimited: 'Anda mengirim pesan terlalu cepat. Tunggu sebentar.',
  errorOutboxFull: 'Terlalu banyak pesan menunggu untuk dikirim.',
  errorOffline: 'Tidak terhubung. Coba lagi saat koneksi kembali.',
  errorFailed: 'Terjadi kesalahan. Silakan coba lagi.',
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

export const BUILT_IN_STRINGS: Record<BuiltInLocale, WidgetStrings> = { en, id }

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

/** A string with its `{name}` placeholders filled. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole))
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

/** When the team is back, e.g. `Monday 09:00` (`Senin 09.00`), in the visitor's own time. */
export function createOpeningFormatter(locale: string | undefined): (time: number) => string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'long', hour: '2-digit', minute: '2-digit' }
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat(locale, options)
  } catch {
    format = new Intl.DateTimeFormat(pickLocale(locale), options)
  }
  return (time) => format.format(time)
}
