/**
 * Where the server keeps the bytes of files sent with messages. A small interface, so a cloud
 * store (S3 and the like) can stand in for the disk: `put` is create-if-absent (a retried upload
 * stores nothing twice, and a file once stored never changes), and files are found by room and
 * id. What a file is (its name, type, who sent it) is kept with its bytes.
 */
import { createHash } from 'node:crypto'
import type { Attachment } from '../../protocol'

/** A stored file's description, kept with its bytes. */
export interface StoredFile extends Attachment {
  roomId: string
  /** Who uploaded it (a user id); only that user may send it in a message. */
  uploadedBy: string
  uploadedAt: number
}

export interface OpenedFile {
  file: StoredFile
  /** The bytes, read once. */
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>
}

export interface FileStore {
  /**
   * Keeps `bytes` as file `file.id` of room `file.roomId`, unless that file exists: then nothing
   * is written and the stored one is returned. Of racing calls for one file, one stores. Resolves
   * once the file is durable.
   */
  put(file: StoredFile, bytes: Uint8Array): Promise<{ file: StoredFile; created: boolean }>
  /** The file's description, or undefined when there is no such file. */
  head(roomId: string, id: string): Promise<StoredFile | undefined>
  /** The file with its bytes, or undefined. */
  open(roomId: string, id: string): Promise<OpenedFile | undefined>
  /** Removes one file (a deleted message's); nothing happens when there is none. */
  delete(roomId: string, id: string): Promise<void>
  /** Removes every file of a room (a conversation retention deleted). */
  deleteRoom(roomId: string): Promise<void>
}

/** Ids are made by the server and are safe in a path or a URL: base64url, 22 characters. */
export const FILE_ID = /^[A-Za-z0-9_-]{22}$/

/**
 * The id of the file `uploadedBy` sends with its message `clientId` in `roomId`: the same for
 * every retry of the upload, so it is stored once, and tied to that one message.
 */
export function fileId(uploadedBy: string, roomId: string, clientId: string): string {
  return createHash('sha256').update(`${uploadedBy}\u0000${roomId}\u0000${clientId}`).digest('base64url').slice(0, 22)
}

/** What the protocol says of a stored file. */
export function toAttachment({ id, name, type, size, width, height }: StoredFile): Attachment {
  return { id, name, type, size, ...(width !== undefined && { width }), ...(height !== undefined && { height }) }
}
