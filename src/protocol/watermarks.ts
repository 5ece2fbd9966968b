import type { Role, Watermarks } from './types'

export const emptyWatermarks = (): Watermarks => ({ visitor: { delivered: 0, read: 0 }, agent: { delivered: 0, read: 0 } })

/** Watermarks only move forward: an old update arriving late must not move ticks back. */
export function mergeWatermarks(a: Watermarks, b: Watermarks): Watermarks {
  const merged: Watermarks = {
    visitor: { delivered: Math.max(a.visitor.delivered, b.visitor.delivered), read: Math.max(a.visitor.read, b.visitor.read) },
    agent: { delivered: Math.max(a.agent.delivered, b.agent.delivered), read: Math.max(a.agent.read, b.agent.read) },
  }
  const same = (r: Role) => merged[r].delivered === a[r].delivered && merged[r].read === a[r].read
  return same('visitor') && same('agent') ? a : merged
}

export function raiseWatermark(w: Watermarks, role: Role, kind: 'delivered' | 'read', upToSeq: number): Watermarks {
  if (w[role][kind] >= upToSeq) return w
  // Reading implies having received.
  const delivered = Math.max(w[role].delivered, upToSeq)
  return { ...w, [role]: kind === 'read' ? { delivered, read: upToSeq } : { ...w[role], delivered } }
}
