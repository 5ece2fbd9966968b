/**
 * Our Socket.IO packet layer against the reference parser the server uses: what we write, it
 * reads as meant; what it writes, we read the same way; what it refuses to read, we refuse too.
 */
import fc from 'fast-check'
import { Decoder, Encoder, PacketType } from 'socket.io-parser'
import { describe, expect, it } from 'vitest'
import { ACK, CONNECT, CONNECT_ERROR, DISCONNECT, EVENT, connectPacket, decodePacket, disconnectPacket, eventPacket } from '../../src/core/socket-io-protocol'

/** What the reference decoder makes of one text frame, or `invalid` when it throws. */
function reference(frame: string): unknown {
  const decoder = new Decoder()
  let packet: unknown = 'incomplete'
  decoder.on('decoded', (p: unknown) => (packet = p))
  try {
    decoder.add(frame)
  } catch {
    return 'invalid'
  }
  return packet
}

const encode = (packet: { type: PacketType; data?: unknown; id?: number }) => new Encoder().encode({ nsp: '/', ...packet })[0] as string

describe('socket.io packets', () => {
  it('writes CONNECT, EVENT (with and without an ack id) and DISCONNECT as the reference parser reads them', () => {
    const auth = { v: 1, role: 'visitor', visitorId: 'v1' }
    expect(connectPacket(auth)).toBe('0{"v":1,"role":"visitor","visitorId":"v1"}')
    expect(reference(connectPacket(auth))).toEqual({ type: PacketType.CONNECT, nsp: '/', data: auth })
    expect(eventPacket('join_room', { roomId: 'r' }, 12)).toBe('212["join_room",{"roomId":"r"}]')
    expect(reference(eventPacket('join_room', { roomId: 'r' }, 12))).toEqual({ type: PacketType.EVENT, nsp: '/', id: 12, data: ['join_room', { roomId: 'r' }] })
    expect(eventPacket('mark_read', { upToSeq: 3 })).toBe('2["mark_read",{"upToSeq":3}]')
    expect(disconnectPacket).toBe('1')
    expect(reference(disconnectPacket)).toEqual({ type: PacketType.DISCONNECT, nsp: '/' })
  })

  it('reads what a Socket.IO v4 server writes', () => {
    expect(decodePacket('0{"sid":"abc"}')).toEqual({ type: CONNECT, data: { sid: 'abc' } })
    expect(decodePacket('1')).toEqual({ type: DISCONNECT })
    expect(decodePacket('2["session",{"a":1}]')).toEqual({ type: EVENT, id: undefined, data: ['session', { a: 1 }] })
    expect(decodePacket('37[{"ok":true}]')).toEqual({ type: ACK, id: 7, data: [{ ok: true }] })
    expect(decodePacket('4{"message":"no","data":{"code":"unauthorized"}}')).toEqual({
      type: CONNECT_ERROR,
      data: { message: 'no', data: { code: 'unauthorized' } },
    })
  })

  it('agrees with the reference parser on every event and ack it encodes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(PacketType.EVENT, PacketType.ACK),
        fc.option(fc.nat(), { nil: undefined }),
        // Names socket.io reserves are refused by the reference and ignored by us as unknown.
        fc.string().filter((name) => !['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(name)),
        fc.array(fc.jsonValue(), { maxLength: 3 }),
        (type, id, name, args) => {
          const data = type === PacketType.EVENT ? [name, ...args] : args
          const frame = encode({ type, data, ...(id === undefined ? {} : { id }) })
          const theirs = reference(frame)
          const ours = decodePacket(frame)
          if (theirs === 'invalid') expect(ours).toBeUndefined()
          else expect(ours).toEqual({ type, id, data: JSON.parse(JSON.stringify(data)) })
        },
      ),
    )
  })

  it('refuses whatever the reference parser refuses, and binary packets, which our protocol never sends', () => {
    for (const frame of ['x', '7', '9["a"]', '2{"a":1}', '2[]', '2[true]', '2["a"', '3{}', '0[]', '0"sid"', '1{}', '4[1]']) {
      expect(reference(frame), frame).toBe('invalid')
      expect(decodePacket(frame), frame).toBeUndefined()
    }
    // The reference reads these as packets without a payload, which socket.io-client then
    // cannot use (a CONNECT without sid, a CONNECT_ERROR without a message); we refuse them.
    for (const frame of ['', '0', '2', '4']) expect(decodePacket(frame), frame).toBeUndefined()
    expect(decodePacket('51-["new_message",{"_placeholder":true,"num":0}]')).toBeUndefined()
    expect(decodePacket('61-0[{"_placeholder":true,"num":0}]')).toBeUndefined()
    expect(decodePacket(new ArrayBuffer(4))).toBeUndefined()
    // Other namespaces: this client only ever joins the default one.
    expect(decodePacket('2/admin,["x"]')).toBeUndefined()
  })
})
