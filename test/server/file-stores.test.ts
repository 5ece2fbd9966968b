/**
 * What every FileStore must do (the memory one and the disk one; a cloud store written for the
 * interface can run the same): create-if-absent, reads of what was stored, deletes, and on disk,
 * files that outlive the process and a folder two processes can share.
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDiskFileStore } from '../../src/server/files/disk-file-store'
import { fileId, type FileStore, type StoredFile } from '../../src/server/files/file-store'
import { createMemoryFileStore } from '../../src/server/files/memory-file-store'
import { PDF, png } from '../support/sample-files'

let folder = ''
let count = 0
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'obrolan-files-'))
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

const described = (roomId: string, clientId: string, bytes: Uint8Array, name = 'nota.pdf'): StoredFile => ({
  roomId,
  id: fileId('v1', roomId, clientId),
  name,
  type: 'application/pdf',
  size: bytes.length,
  uploadedBy: 'v1',
  uploadedAt: 1_700_000_000_000.5,
})

async function bytesOf(store: FileStore, roomId: string, id: string): Promise<Buffer | undefined> {
  const opened = await store.open(roomId, id)
  if (!opened) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of opened.body) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks)
}

const stores: [string, () => Promise<FileStore>][] = [
  ['memory', async () => createMemoryFileStore()],
  ['disk', () => createDiskFileStore(join(folder, `store-${++count}`))],
]

describe.each(stores)('%s file store (file store contract)', (_name, create) => {
  it('keeps the first copy of a file, whatever comes later under its id', async () => {
    const store = await create()
    const file = described('room "1" / ✓', 'c1', PDF, 'Nota "April" 😀.pdf')
    expect(await store.put(file, PDF)).toEqual({ file, created: true })
    const other = Buffer.from('%PDF-1.4 another')
    expect(await store.put({ ...file, name: 'other.pdf', size: other.length }, other)).toEqual({ file, created: false })
    expect(await store.head(file.roomId, file.id)).toEqual(file)
    expect((await bytesOf(store, file.roomId, file.id))?.equals(PDF)).toBe(true)
    expect(await store.head('another room', file.id)).toBeUndefined()
    expect(await store.open(file.roomId, fileId('v1', file.roomId, 'nope'))).toBeUndefined()
  })

  it('stores a file once when puts race', async () => {
    const store = await create()
    const image = png(50, 50, [9, 9, 9], 30)
    const file = { ...described('r', 'race', image), type: 'image/png' }
    const results = await Promise.all(Array.from({ length: 10 }, () => store.put(file, image)))
    expect(results.filter((result) => result.created)).toHaveLength(1)
    expect((await bytesOf(store, 'r', file.id))?.equals(image)).toBe(true)
  })

  it('deletes one file, or a room’s files, and nothing else', async () => {
    const store = await create()
    const a = described('r1', 'a', PDF)
    const b = described('r1', 'b', PDF)
    const c = described('r2', 'c', PDF)
    for (const file of [a, b, c]) await store.put(file, PDF)
    await store.delete('r1', a.id)
    await store.delete('r1', a.id)
    expect(await store.head('r1', a.id)).toBeUndefined()
    expect(await store.head('r1', b.id)).toEqual(b)
    await store.deleteRoom('r1')
    await store.deleteRoom('never-had-files')
    expect(await store.head('r1', b.id)).toBeUndefined()
    expect(await store.head('r2', c.id)).toEqual(c)
  })
})

describe('disk file store', () => {
  it('keeps files across restarts, shares a folder between processes, and never reads outside it', async () => {
    const dir = join(folder, 'shared')
    const first = await createDiskFileStore(dir)
    const second = await createDiskFileStore(dir)
    const file = described('room', 'c', PDF)
    const [one, two] = await Promise.all([first.put(file, PDF), second.put(file, PDF)])
    expect([one.created, two.created].sort()).toEqual([false, true])
    const restarted = await createDiskFileStore(dir)
    expect((await bytesOf(restarted, 'room', file.id))?.equals(PDF)).toBe(true)
    // Only ids the server makes are ever part of a path.
    expect(await restarted.head('room', '../../../etc/passwd')).toBeUndefined()
    await restarted.delete('room', '../x')
    // Nothing but the room's folder (and no temporary file) is left behind.
    const rooms = await readdir(dir)
    expect(rooms).toHaveLength(1)
    expect(await readdir(join(dir, rooms[0]!))).toEqual([file.id])
  })

  it('removes temporary files a crash left behind, once they are old', async () => {
    const dir = join(folder, 'crashed')
    const store = await createDiskFileStore(dir)
    await store.put(described('room', 'c', PDF), PDF)
    const [room] = await readdir(dir)
    const old = join(dir, room!, '.tmp-old')
    const young = join(dir, room!, '.tmp-young')
    await writeFile(old, 'half a file')
    await writeFile(young, 'being written by another process')
    await utimes(old, new Date(Date.now() - 2 * 3_600_000), new Date(Date.now() - 2 * 3_600_000))
    await createDiskFileStore(dir)
    expect((await readdir(join(dir, room!))).sort()).toEqual(['.tmp-young', fileId('v1', 'room', 'c')].sort())
  })
})
