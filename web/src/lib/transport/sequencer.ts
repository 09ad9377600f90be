// Sequence logic of one WebSocket channel, independent of the socket (unit-tested): a snapshot replaces
// what the client holds, a delta must carry seq = last + 1 of the same epoch; anything else is a gap, after
// which deltas are ignored until a fresh snapshot arrives (the client asks for one with
// {"action":"snapshot"}). After a disconnect the client resumes: it reconnects with the (epoch, seq) it last
// applied and the server sends the deltas it missed, or a snapshot when it no longer holds them.
import type { WsMessage } from '../model/types'

export type Verdict = 'snapshot' | 'delta' | 'alert' | 'duplicate' | 'gap' | 'waiting'

export class Sequencer {
  seq: number | null = null
  epoch: number | null = null
  awaitingSnapshot = true
  gaps = 0

  // Classifies a message and advances the sequence. 'gap' means: request a snapshot now.
  accept(m: WsMessage): Verdict {
    if (m.type === 'snapshot') {
      this.seq = m.seq
      this.epoch = m.epoch ?? null
      this.awaitingSnapshot = false
      return 'snapshot'
    }
    if (this.awaitingSnapshot || this.seq === null) return 'waiting'
    const sameEpoch = (m.epoch ?? null) === this.epoch
    if (sameEpoch && m.seq <= this.seq) return 'duplicate'
    if (!sameEpoch || m.seq !== this.seq + 1) {
      this.gaps++
      this.awaitingSnapshot = true
      return 'gap'
    }
    this.seq = m.seq
    return m.type === 'alert' ? 'alert' : 'delta'
  }

  // Where a reconnect resumes from: the last (epoch, seq) applied, or null when a snapshot is needed.
  resumePoint(): { epoch: number; seq: number } | null {
    if (this.awaitingSnapshot || this.seq === null || this.epoch === null) return null
    return { epoch: this.epoch, seq: this.seq }
  }

  // Forgets the state: the next connection starts with a snapshot.
  reset(): void {
    this.seq = null
    this.epoch = null
    this.awaitingSnapshot = true
  }
}

// `path` with the resume point as query parameters (?epoch=E&seq=S), or unchanged.
export function resumePath(path: string, at: { epoch: number; seq: number } | null): string {
  if (!at) return path
  return `${path}${path.includes('?') ? '&' : '?'}epoch=${at.epoch}&seq=${at.seq}`
}

// Reconnect delay: exponential from 250 ms, capped at 5 s, with +-20 % jitter.
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(5000, 250 * 2 ** Math.min(attempt, 5))
  return Math.round(base * (0.8 + 0.4 * random()))
}
