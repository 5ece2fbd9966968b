/**
 * Files on disk, in a folder of the server's data folder: one folder per room (named by a hash of
 * the room id, so no id can name a path), one file per upload holding a line of JSON (what the
 * file is) and then its bytes, so description and bytes appear together or not at all.
 *
 * A file is written under a temporary name, flushed to disk, and then hard-linked to its final
 * name: `link` fails when that name exists, which makes `put` create-if-absent across processes
 * sharing the folder, and a crash leaves at most a temporary file behind (removed at the next start
 * once it is an hour old, since another process on the folder may be writing a younger one).
 */
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { link, mkdir, open, readdir, rm, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { FILE_ID, type FileStore, type StoredFile } from './file-store'

const MAGIC = 'obrolan-file 1 '
/** A description is a few hundred bytes; this bounds what `head` reads. */
const MAX_HEADER = 16 * 1024
const TEMP_PREFIX = '.tmp-'

export async function createDiskFileStore(directory: string): Promise<FileStore> {
  await mkdir(directory, { recursive: true, mode: 0o700 })
  await removeTemporaries(directory)
  const roomDir = (roomId: string) => join(directory, createHash('sha256').update(roomId).digest('hex').slice(0, 40))
  const pathOf = (roomId: string, id: string): string => {
    // Ids come from URLs too: only the server's own form ever becomes part of a path.
    if (!FILE_ID.test(id)) throw new Error(`not a file id: ${JSON.stringify(id)}`)
    return join(roomDir(roomId), id)
  }

  async function head(roomId: string, id: string): Promise<{ file: StoredFile; offset: number } | undefined> {
    if (!FILE_ID.test(id)) return undefined
    let handle
    try {
      handle = await open(pathOf(roomId, id), 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
    try {
      const buffer = Buffer.alloc(MAX_HEADER)
      const { bytesRead } = await handle.read(buffer, 0, MAX_HEADER, 0)
      const end = buffer.subarray(0, bytesRead).indexOf(0x0a)
      const line = end === -1 ? '' : buffer.subarray(0, end).toString('utf8')
      if (!line.startsWith(MAGIC)) throw new Error(`${pathOf(roomId, id)} is not a file this store wrote`)
      return { file: JSON.parse(line.slice(MAGIC.length)) as StoredFile, offset: end + 1 }
    } finally {
      await handle.close()
    }
  }

  return {
    async put(file, bytes) {
      const dir = roomDir(file.roomId)
      const final = pathOf(file.roomId, file.id)
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const temp = join(dir, `${TEMP_PREFIX}${randomBytes(9).toString('base64url')}`)
      const handle = await open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(Buffer.concat([Buffer.from(`${MAGIC}${JSON.stringify(file)}\n`), bytes]))
        await handle.sync()
      } finally {
        await handle.close()
      }
      try {
        await link(temp, final)
        await syncDirectory(dir)
        return { file, created: true }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
        const held = await head(file.roomId, file.id)
        if (!held) throw new Error(`${final} vanished while it was being stored again`, { cause: error })
        return { file: held.file, created: false }
      } finally {
        await unlink(temp)
      }
    },

    async head(roomId, id) {
      return (await head(roomId, id))?.file
    },

    async open(roomId, id) {
      const found = await head(roomId, id)
      if (!found) return undefined
      return { file: found.file, body: createReadStream(pathOf(roomId, id), { start: found.offset }) }
    },

    async delete(roomId, id) {
      if (FILE_ID.test(id)) await rm(pathOf(roomId, id), { force: true })
    },

    async deleteRoom(roomId) {
      await rm(roomDir(roomId), { recursive: true, force: true })
    },
  }
}

/** A link is durable once the folder that holds it is flushed. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

const ABANDONED_MS = 3_600_000

/** Temporary files of uploads a crash interrupted. */
async function removeTemporaries(directory: string): Promise<void> {
  for (const room of await readdir(directory, { withFileTypes: true })) {
    if (!room.isDirectory()) continue
    const dir = join(directory, room.name)
    for (const name of await readdir(dir)) {
      if (!name.startsWith(TEMP_PREFIX)) continue
      const path = join(dir, name)
      const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
        // Finished meanwhile by the process that was writing it.
        if (error.code === 'ENOENT') return undefined
        throw error
      })
      if (info && Date.now() - info.mtimeMs > ABANDONED_MS) await rm(path, { force: true })
    }
  }
}
