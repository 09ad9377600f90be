import { describe, expect, it } from 'vitest'
import { Sequencer, backoffMs, resumePath } from './sequencer'
import type { WsMessage } from '../model/types'

const msg = (type: WsMessage['type'], seq: number, epoch = 1): WsMessage => ({
  type,
  channel: 'market',
  seq,
  epoch,
  data: {},
})

describe('Sequencer', () => {
  it('waits for a snapshot, then accepts consecutive deltas', () => {
    const s = new Sequencer()
    expect(s.accept(msg('delta', 4))).toBe('waiting')
    expect(s.accept(msg('snapshot', 5))).toBe('snapshot')
    expect(s.accept(msg('delta', 6))).toBe('delta')
    expect(s.accept(msg('delta', 7))).toBe('delta')
    expect(s.seq).toBe(7)
  })
  it('detects a gap and ignores deltas until the next snapshot', () => {
    const s = new Sequencer()
    s.accept(msg('snapshot', 10))
    expect(s.accept(msg('delta', 12))).toBe('gap')
    expect(s.gaps).toBe(1)
    expect(s.accept(msg('delta', 13))).toBe('waiting')
    expect(s.accept(msg('snapshot', 13))).toBe('snapshot')
    expect(s.accept(msg('delta', 14))).toBe('delta')
  })
  it('drops duplicates and old messages', () => {
    const s = new Sequencer()
    s.accept(msg('snapshot', 3))
    expect(s.accept(msg('delta', 3))).toBe('duplicate')
    expect(s.accept(msg('delta', 2))).toBe('duplicate')
    expect(s.seq).toBe(3)
  })
  it('treats alerts like deltas', () => {
    const s = new Sequencer()
    s.accept(msg('snapshot', 0))
    expect(s.accept(msg('alert', 1))).toBe('alert')
    expect(s.accept(msg('alert', 3))).toBe('gap')
  })
  it('starts over after a reconnect', () => {
    const s = new Sequencer()
    s.accept(msg('snapshot', 8))
    s.reset()
    expect(s.accept(msg('delta', 9))).toBe('waiting')
    expect(s.accept(msg('snapshot', 1))).toBe('snapshot') // a restarted server counts from 1 again
    expect(s.accept(msg('delta', 2))).toBe('delta')
  })
})

describe('resume', () => {
  it('resumes from the last applied (epoch, seq), not before a snapshot or after a gap', () => {
    const s = new Sequencer()
    expect(s.resumePoint()).toBeNull()
    s.accept(msg('snapshot', 8, 77))
    s.accept(msg('delta', 9, 77))
    expect(s.resumePoint()).toEqual({ epoch: 77, seq: 9 })
    expect(resumePath('/ws/market', s.resumePoint())).toBe('/ws/market?epoch=77&seq=9')
    expect(resumePath('/ws/trades?symbols=FPT', s.resumePoint())).toBe('/ws/trades?symbols=FPT&epoch=77&seq=9')
    // The server sends the missed deltas: they follow on.
    expect(s.accept(msg('delta', 10, 77))).toBe('delta')
    s.accept(msg('delta', 12, 77))
    expect(s.resumePoint()).toBeNull()
  })
  it('a delta of another epoch (the engine restarted) is a gap', () => {
    const s = new Sequencer()
    s.accept(msg('snapshot', 8, 1))
    expect(s.accept(msg('delta', 9, 2))).toBe('gap')
    expect(s.accept(msg('snapshot', 1, 2))).toBe('snapshot')
    expect(s.accept(msg('delta', 2, 2))).toBe('delta')
  })
})

describe('backoffMs', () => {
  it('grows exponentially and is capped', () => {
    const mid = () => 0.5
    expect(backoffMs(0, mid)).toBe(250)
    expect(backoffMs(1, mid)).toBe(500)
    expect(backoffMs(3, mid)).toBe(2000)
    expect(backoffMs(10, mid)).toBe(5000)
    expect(backoffMs(0, () => 0)).toBe(200)
    expect(backoffMs(0, () => 1)).toBe(300)
  })
})
