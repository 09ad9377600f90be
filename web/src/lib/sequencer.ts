// Sequence logic of one WebSocket channel, independent of the socket (unit-tested): a snapshot replaces
// what the client holds, a delta must carry seq = last + 1; anything else is a gap, after which deltas are
// ignored until a fresh snapshot arrives (the client asks for one with {"action":"snapshot"}).
import type { WsMessage } from './types'

export type Verdict = 'snapshot' | 'delta' | 'alert' | 'duplicate' | 'gap' | 'waiting'

export class Sequencer {
  seq: number | null = null
  awaitingSnapshot = true
  gaps = 0

  // Classifies a message and advances the sequence. 'gap' means: request a snapshot now.
  accept(m: WsMessage): Verdict {
    if (m.type === 'snapshot') {
      this.seq = m.seq
      this.awaitingSnapshot = false
      return 'snapshot'
    }
    if (this.awaitingSnapshot || this.seq === null) return 'waiting'
    if (m.seq <= this.seq) return 'duplicate'
    if (m.seq !== this.seq + 1) {
      this.gaps++
      this.awaitingSnapshot = true
      return 'gap'
    }
    this.seq = m.seq
    return m.type === 'alert' ? 'alert' : 'delta'
  }

  // The connection is gone: the next connection starts with a snapshot.
  reset(): void {
    this.seq = null
    this.awaitingSnapshot = true
  }
}

// Reconnect delay: exponential from 250 ms, capped at 5 s, with +-20 % jitter.
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(5000, 250 * 2 ** Math.min(attempt, 5))
  return Math.round(base * (0.8 + 0.4 * random()))
}
