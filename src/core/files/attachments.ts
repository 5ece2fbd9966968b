/**
 * Files sent with messages, on the client: a chosen file is checked against what the server takes,
 * its bytes put away (`FileKeeper`), and its message queued at once; the uploader gets the bytes
 * to the server while connected, and the message goes out once they are there. Files of messages
 * are read back over HTTP with the session's credentials.
 */
import type { ReadableAtom } from 'nanostores'
import { claimedType, cleanFileName, fileProblem } from '../../protocol'
import type { BackoffOptions } from '../connection/backoff'
import { ChatError } from '../errors'
import type { OutboxEntry } from '../outbox/outbox'
import type { Sender } from '../outbox/sender'
import { Uploader } from '../outbox/uploader'
import type { ServerFeatures } from '../session/features'
import type { Handshake } from '../session/handshake'
import { authHeaders, defaultFileTransport, type FileTransport } from '../transport/http-files'
import { absoluteServerUrl } from '../transport/server-url'
import type { Clock } from '../util/clock'
import type { ChatMessage } from '../view/message-view'
import { indexedDbKeeper } from './idb-keeper'
import { memoryKeeper, type FileKeeper } from './keeper'

export interface SendFileOptions {
  /** A caption, sent with the file. */
  text?: string
  /** The name to send it under; default the file's own (`File.name`), else "file". */
  name?: string
  /** Images: the size in pixels, if known, so the preview takes its place at once. */
  width?: number
  height?: number
}

export interface AttachmentsOptions {
  url: string
  clock: Clock
  backoff: BackoffOptions
  /** The outbox's storage prefix; the kept bytes are named after it. */
  prefix: string
  /** Keep the bytes in IndexedDB (they survive a reload) rather than in memory. */
  durable: boolean
  sender: Sender
  handshake: Handshake
  features: ReadableAtom<ServerFeatures>
  canUpload(): boolean
  reportError(error: ChatError): void
}

export class Attachments {
  readonly uploader: Uploader
  private readonly keeper: FileKeeper
  private readonly transport: FileTransport = defaultFileTransport()
  private readonly origin: string

  constructor(private readonly options: AttachmentsOptions) {
    const { sender, handshake } = options
    this.origin = new URL(absoluteServerUrl(options.url)).origin
    this.keeper = options.durable && typeof indexedDB !== 'undefined' ? indexedDbKeeper(indexedDB, options.reportError) : memoryKeeper()
    this.uploader = new Uploader({
      clock: options.clock,
      backoff: options.backoff,
      outbox: sender.outbox,
      keeper: this.keeper,
      transport: this.transport,
      keyOf: (clientId) => this.keyOf(clientId),
      url: (entry) =>
        `${this.origin}/api/files/${encodeURIComponent(entry.roomId!)}?clientId=${encodeURIComponent(entry.clientId)}&name=${encodeURIComponent(entry.file!.name)}`,
      headers: async () => authHeaders(await handshake.auth()),
      canUpload: options.canUpload,
      uploaded: (clientId, attachment) => sender.uploaded(clientId, attachment),
      failed: (clientId, error) => sender.failUpload(clientId, error),
      reportError: options.reportError,
    })
  }

  /** Checks the file, puts its bytes away and queues its message. Throws what is wrong with it. */
  send(file: Blob, options: SendFileOptions, text: string, roomId: string | undefined): OutboxEntry {
    if (!(file instanceof Blob)) throw new TypeError('sendFile: give a File or a Blob')
    const limits = this.options.features.get().uploads
    if (!limits) throw new ChatError('forbidden', 'This server does not take files')
    const name = cleanFileName(options.name ?? (file as Partial<File>).name ?? 'file')
    const problem = fileProblem({ name, type: file.type, size: file.size }, limits)
    if (problem) throw new ChatError(problem.code, problem.message)
    const { width, height } = options
    const sized = Number.isInteger(width) && Number.isInteger(height) && width! > 0 && height! > 0
    const { sender } = this.options
    const clientId = sender.newClientId()
    // Put away before the message is queued: the uploader may look for the bytes at once.
    void this.keeper.put(this.keyOf(clientId), file)
    const type = claimedType(name, file.type, limits.types) ?? file.type
    return sender.enqueue(text, roomId, { name, type, size: file.size, ...(sized && { width, height }) }, clientId)
  }

  /** The bytes of a message's file: the kept ones while it is the user's and unsent, else the server's. */
  async read(message: ChatMessage): Promise<Blob> {
    const id = message.attachment?.id
    if (message.own && (!id || this.options.sender.find(message.clientId))) {
      const kept = await this.keeper.get(this.keyOf(message.clientId))
      if (kept) return kept
    }
    if (!id || !message.roomId) throw new ChatError('not_found', 'This file has not reached the server')
    return this.transport.download(this.url(message.roomId, id), authHeaders(await this.options.handshake.auth()))
  }

  /** Where a file of the server is read (with credentials: `X-Obrolan-Auth`, or an agent's session cookie). */
  url(roomId: string, id: string): string {
    return `${this.origin}/api/files/${encodeURIComponent(roomId)}/${encodeURIComponent(id)}`
  }

  /** Messages that left the outbox for good: their bytes are no longer needed. */
  forget(clientIds: readonly string[]): void {
    for (const clientId of clientIds) void this.keeper.delete(this.keyOf(clientId))
  }

  dispose(): void {
    this.uploader.dispose()
  }

  private keyOf(clientId: string): string {
    return `${this.options.prefix}:${clientId}`
  }
}
