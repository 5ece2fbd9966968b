import { describe, expect, it } from 'vitest'
import {
  initialConnectionState,
  transition,
  type ConnectionEvent,
  type ConnectionState,
} from '../../src/core/connection/machine'

function run(events: ConnectionEvent[], from: ConnectionState = initialConnectionState) {
  let state = from
  const effects: string[] = []
  for (const event of events) {
    const result = transition(state, event)
    state = result.state
    effects.push(...result.effects.map((e) => (e.type === 'schedule_retry' ? `retry#${e.attempt}` : e.type)))
  }
  return { state, effects }
}

describe('connection state machine', () => {
  it('connects, joins and reports connected', () => {
    const { state, effects } = run([{ type: 'start' }, { type: 'ready' }])
    expect(state).toEqual({ status: 'connected', attempt: 0, failures: 0 })
    expect(effects).toEqual(['open', 'arm_stable'])
  })

  it('moves to reconnecting on loss and schedules retries with growing attempts', () => {
    const { state, effects } = run([
      { type: 'start' },
      { type: 'lost', reason: 'connect_error' },
      { type: 'retry' },
      { type: 'lost', reason: 'connect_error' },
    ])
    expect(state).toEqual({ status: 'reconnecting', attempt: 2, failures: 2 })
    expect(effects).toEqual(['open', 'disarm_stable', 'close', 'retry#0', 'open', 'disarm_stable', 'close', 'retry#1'])
  })

  it('keeps the attempt count after a short-lived connection and resets it once stable', () => {
    const flapping = run([{ type: 'start' }, { type: 'lost', reason: 'transport_closed' }, { type: 'retry' }, { type: 'ready' }])
    expect(flapping.state).toEqual({ status: 'connected', attempt: 1, failures: 0 })
    const again = run([{ type: 'lost', reason: 'heartbeat_timeout' }], flapping.state)
    expect(again.effects).toContain('retry#1')
    expect(run([{ type: 'stable' }], flapping.state).state).toEqual({ status: 'connected', attempt: 0, failures: 0 })
  })

  it('counts failed attempts in a row, not the loss of a live connection', () => {
    const lostLive = run([{ type: 'start' }, { type: 'ready' }, { type: 'lost', reason: 'server_closed' }])
    expect(lostLive.state.failures).toBe(0)
    const unreachable = run([{ type: 'retry' }, { type: 'lost', reason: 'connect_error' }, { type: 'retry' }, { type: 'lost', reason: 'connect_error' }], lostLive.state)
    expect(unreachable.state.failures).toBe(2)
    expect(run([{ type: 'retry' }, { type: 'ready' }], unreachable.state).state.failures).toBe(0)
  })

  it('ignores a retry timer that fires when not reconnecting', () => {
    expect(run([{ type: 'start' }, { type: 'ready' }, { type: 'retry' }]).effects).toEqual(['open', 'arm_stable'])
    expect(run([{ type: 'retry' }]).state.status).toBe('disconnected')
  })

  it('goes offline, closes and waits; comes back online with an immediate attempt', () => {
    const offline = run([{ type: 'start' }, { type: 'ready' }, { type: 'offline' }])
    expect(offline.state.status).toBe('offline')
    expect(offline.effects.slice(-3)).toEqual(['cancel_retry', 'disarm_stable', 'close'])
    // A loss while offline is expected and schedules nothing.
    expect(run([{ type: 'lost', reason: 'transport_closed' }], offline.state).effects).toEqual([])
    const back = run([{ type: 'online' }], offline.state)
    expect(back.state).toEqual({ status: 'reconnecting', attempt: 0, failures: 0 })
    expect(back.effects).toEqual(['open'])
  })

  it('retries at once when the page becomes visible while waiting to reconnect', () => {
    const waiting = run([{ type: 'start' }, { type: 'lost', reason: 'transport_closed' }, { type: 'lost', reason: 'transport_closed' }])
    const woke = run([{ type: 'wake' }], waiting.state)
    expect(woke.effects).toEqual(['cancel_retry', 'open'])
    expect(woke.state.attempt).toBe(0)
    expect(run([{ type: 'wake' }], { status: 'connected', attempt: 0, failures: 0 }).effects).toEqual([])
  })

  it('stops from any state and stays stopped', () => {
    for (const status of ['connecting', 'connected', 'reconnecting', 'offline'] as const) {
      const stopped = run([{ type: 'stop' }], { status, attempt: 3, failures: 2 })
      expect(stopped.state).toEqual({ status: 'disconnected', attempt: 0, failures: 0 })
      expect(stopped.effects).toEqual(['cancel_retry', 'disarm_stable', 'close'])
    }
    expect(run([{ type: 'lost', reason: 'transport_closed' }, { type: 'online' }, { type: 'ready' }]).state.status).toBe('disconnected')
  })

  it('gives up only on a fatal refusal', () => {
    const fatal = transition({ status: 'connecting', attempt: 0, failures: 0 }, { type: 'fatal', reason: 'unsupported_version' })
    expect(fatal.state.status).toBe('disconnected')
    expect(fatal.reason).toBe('unsupported_version')
  })

  it('reconnects at once when the credentials change, but not when stopped or offline', () => {
    const restarted = run([{ type: 'start' }, { type: 'ready' }, { type: 'restart' }])
    expect(restarted.state).toEqual({ status: 'connecting', attempt: 0, failures: 0 })
    expect(restarted.effects.slice(-3)).toEqual(['cancel_retry', 'disarm_stable', 'open'])
    expect(run([{ type: 'restart' }]).effects).toEqual([])
    expect(run([{ type: 'restart' }], { status: 'offline', attempt: 1, failures: 1 }).effects).toEqual([])
  })

  it('ignores start when already running', () => {
    expect(transition({ status: 'connected', attempt: 0, failures: 0 }, { type: 'start' }).effects).toEqual([])
  })
})
