/**
 * The pure rules and the uploader's decisions, with a scripted transport and a manual clock:
 * messages wait for the file before them, progress is reported, a stall or a cut is tried again
 * after a backoff, a final refusal fails the message, cancelling stops the upload, and the shared
 * reaction rule is idempotent.
 */
import { atom } from 'nanostores'
import { describe, expect, it } from 'vitest'
import { memoryKeeper } from '../../src/core/files/keeper'
import { markFailed, markPending, markUploaded, moveToRoom, nextUpload, parseOutbox, remove, sendable, type Outbox, type OutboxEntry } from '../../src/core/outbox/outbox'
import { Uploader, UPLOAD_STALL_MS } from '../../src/core/outbox/uploader'
import type { HttpAnswer, UploadCall } from '../../src/core/transport/http-files'
import { ChatError } from '../../src/core/errors'
import { fileProblem, withReaction, cleanFileName, megabytes } from '../../src/protocol'
import type { Attachment, WireError } from '../../src/protocol'
import { ManualClock } from '../support/manual-clock'

const entry = (clientId: string, extra: Partial<OutboxEntry> = {}): OutboxEntry => ({ clientId, roomId: 'r', text: clientId, createdAt: 1, state: 'pending', ...extra })
const file = { name: 'a.pdf', type: 'application/pdf', size: 3 }
const attachment: Attachment = { id: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'a.pdf', type: 'application/pdf', size: 3 }

describe('outbox entries with files', () => {
  it('holds back the messages after a file until it is up, keeps them through failure, and re-uploads on retry or a new room', () => {
    let box: Outbox = [entry('a'), entry('f', { file }), entry('b')]
    expect(sendable(box, 1).map((e) => e.clientId)).toEqual(['a'])
    expect(nextUpload(box)?.clientId).toBe('f')
    box = markUploaded(box, 'f', attachment)
    expect(sendable(box, 1).map((e) => e.clientId)).toEqual(['a', 'f', 'b'])
    expect(nextUpload(box)).toBeUndefined()
    // A failed file no longer holds the others back; its retry uploads again.
    box = markFailed(box, 'f', { code: 'not_found', message: 'gone' })
    expect(sendable(box, 1).map((e) => e.clientId)).toEqual(['a', 'b'])
    box = markPending(box, 'f')
    expect(box[1]!.file).toEqual(file)
    box = moveToRoom(markUploaded(box, 'f', attachment), 'r2')
    expect(box[1]).toMatchObject({ roomId: 'r2', file })
    expect(box[1]!.file!.uploaded).toBeUndefined()
    expect(parseOutbox(JSON.parse(JSON.stringify(remove(box, 'a'))))).toEqual(remove(box, 'a'))
    expect(parseOutbox([{ ...entry('x'), file: null }, { ...entry('y'), file: { name: 1 } }])).toEqual([])
  })

  it('checks files the way the server will, and names them safely', () => {
    const limits = { maxBytes: 1000, types: ['image/png', 'text/csv'] }
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: 10 }, limits)).toBeUndefined()
    expect(fileProblem({ name: 'a.CSV', type: '', size: 10 }, limits)).toBeUndefined()
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: 1001 }, limits)).toEqual({ code: 'too_large', message: 'a.png is 1001 B; the limit is 1000 B' })
    expect(fileProblem({ name: 'a.svg', type: 'image/svg+xml', size: 10 }, limits)?.code).toBe('unsupported_type')
    expect(fileProblem({ name: 'a.png', type: 'image/png', size: 0 }, limits)?.code).toBe('bad_request')
    expect(megabytes(10 * 1024 * 1024)).toBe('10 MB')
    expect(megabytes(1536)).toBe('1.5 KB')
    expect(cleanFileName('C:\\Users\\me\\..\\nota\u202e.pdf')).toBe('nota.pdf')
    expect(cleanFileName('...')).toBe('file')
    expect(cleanFileName(`${'x'.repeat(300)}.pdf`)).toMatch(/^x{196}\.pdf$/)
  })

  it('adds and takes back a reaction once per user and emoji', () => {
    const one = withReaction(undefined, '👍', 'u1', true)
    expect(one).toEqual([{ emoji: '👍', by: ['u1'] }])
    expect(withReaction(one, '👍', 'u1', true)).toBe(one)
    const two = withReaction(withReaction(one, '❤️', 'u2', true), '👍', 'u2', true)
    expect(two).toEqual([
      { emoji: '👍', by: ['u1', 'u2'] },
      { emoji: '❤️', by: ['u2'] },
    ])
    expect(withReaction(two, '❤️', 'u1', false)).toBe(two)
    expect(withReaction(withReaction(two, '❤️', 'u2', false), '👍', 'u1', false)).toEqual([{ emoji: '👍', by: ['u2'] }])
    expect(withReaction([{ emoji: '👍', by: ['u1'] }], '👍', 'u1', false)).toBeUndefined()
  })
})

/** A transport whose answers the test gives, one call at a time. */
function scriptedTransport() {
  const calls: { url: string; headers: Record<string, string>; body: Blob; progress: (loaded: number, total: number) => void; answer(a: HttpAnswer): void; cut(): void; aborted: boolean }[] = []
  return {
    calls,
    upload(url: string, headers: Record<string, string>, body: Blob, progress: (loaded: number, total: number) => void): UploadCall {
      let resolve!: (a: HttpAnswer) => void
      let reject!: (e: Error) => void
      const done = new Promise<HttpAnswer>((res, rej) => ((resolve = res), (reject = rej)))
      const call = { url, headers, body, progress, answer: resolve, cut: () => reject(new ChatError('not_connected', 'cut')), aborted: false }
      calls.push(call)
      return { done, abort: () => ((call.aborted = true), reject(new ChatError('not_connected', 'aborted'))) }
    },
    download: async () => new Blob(),
  }
}

async function uploaderWith(outbox: Outbox) {
  const clock = new ManualClock()
  const $outbox = atom<Outbox>(outbox)
  const keeper = memoryKeeper()
  for (const e of outbox) if (e.file) await keeper.put(`k:${e.clientId}`, new Blob(['abc']))
  const transport = scriptedTransport()
  const done: { uploaded: [string, Attachment][]; failed: [string, WireError][]; errors: string[] } = { uploaded: [], failed: [], errors: [] }
  let connected = true
  const uploader = new Uploader({
    clock,
    backoff: { minMs: 100, maxMs: 1000 },
    outbox: $outbox,
    keeper,
    transport,
    keyOf: (clientId) => `k:${clientId}`,
    url: (e) => `http://x/api/files/${e.roomId}?clientId=${e.clientId}`,
    headers: async () => ({ 'X-Obrolan-Auth': 'creds' }),
    canUpload: () => connected,
    uploaded: (clientId, a) => {
      done.uploaded.push([clientId, a])
      $outbox.set(markUploaded($outbox.get(), clientId, a))
    },
    failed: (clientId, error) => {
      done.failed.push([clientId, error])
      $outbox.set(markFailed($outbox.get(), clientId, error))
    },
    reportError: (error) => done.errors.push(error.code),
  })
  return { clock, $outbox, uploader, transport, done, setConnected: (value: boolean) => (connected = value), keeper }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('uploader', () => {
  it('uploads one file at a time in order, with progress, and only while connected', async () => {
    const u = await uploaderWith([entry('f1', { file }), entry('f2', { file })])
    u.setConnected(false)
    u.uploader.kick()
    await tick()
    expect(u.transport.calls).toHaveLength(0)
    u.setConnected(true)
    u.uploader.kick()
    await tick()
    expect(u.transport.calls.map((c) => c.url)).toEqual(['http://x/api/files/r?clientId=f1'])
    expect(u.transport.calls[0]!.headers).toEqual({ 'X-Obrolan-Auth': 'creds', 'Content-Type': 'application/pdf' })
    u.transport.calls[0]!.progress(1, 4)
    expect(u.uploader.progress.get()).toEqual({ clientId: 'f1', fraction: 0.25 })
    u.transport.calls[0]!.answer({ status: 200, body: { data: { attachment } } })
    await tick()
    await tick()
    expect(u.done.uploaded).toEqual([['f1', attachment]])
    expect(u.transport.calls.map((c) => c.url)).toEqual(['http://x/api/files/r?clientId=f1', 'http://x/api/files/r?clientId=f2'])
    expect(u.uploader.progress.get()).toEqual({ clientId: 'f2', fraction: 0 })
  })

  it('tries a cut or stalled upload again after a backoff, and fails a refused one with the server’s reason', async () => {
    const u = await uploaderWith([entry('f1', { file })])
    u.uploader.kick()
    await tick()
    u.transport.calls[0]!.cut()
    await tick()
    expect(u.done.failed).toEqual([])
    expect(u.clock.pending()).toEqual([50]) // full jitter at random 0.5 of min(1000, 100·2)
    u.clock.advance(50)
    await tick()
    expect(u.transport.calls).toHaveLength(2)
    // No progress for the stall time: stopped and tried again.
    u.clock.advance(UPLOAD_STALL_MS)
    await tick()
    expect(u.transport.calls[1]!.aborted).toBe(true)
    expect(u.done.errors).toContain('timeout')
    u.clock.advance(1000)
    await tick()
    expect(u.transport.calls).toHaveLength(3)
    u.transport.calls[2]!.answer({ status: 429, body: { message: 'Too many files' }, retryAfterMs: 5000 })
    await tick()
    expect(u.clock.pending()).toEqual([5000])
    u.clock.advance(5000)
    await tick()
    u.transport.calls[3]!.answer({ status: 415, body: { success: false, message: 'a.pdf is markup', error: 'unsupported_type' } })
    await tick()
    expect(u.done.failed).toEqual([['f1', { code: 'unsupported_type', message: 'a.pdf is markup' }]])
    expect(u.transport.calls).toHaveLength(4)
  })

  it('stops the upload of a cancelled message, and fails one whose bytes are gone', async () => {
    const u = await uploaderWith([entry('f1', { file }), entry('f2', { file })])
    u.uploader.kick()
    await tick()
    u.$outbox.set(remove(u.$outbox.get(), 'f1'))
    await tick()
    expect(u.transport.calls[0]!.aborted).toBe(true)
    expect(u.transport.calls[1]!.url).toContain('f2')
    await u.keeper.delete('k:f2')
    u.transport.calls[1]!.cut()
    await tick()
    u.clock.advance(1000)
    await tick()
    await tick()
    expect(u.done.failed).toEqual([['f2', { code: 'not_found', message: 'The file was not kept when the page was reloaded; choose it again' }]])
  })
})
