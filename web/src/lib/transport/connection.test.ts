import { describe, expect, it } from 'vitest'
import { connState } from './connection'

describe('connection state', () => {
  it('live, reconnecting, or stale when silent for 10 s in a trading session', () => {
    expect(connState('live', 'LO', 2)).toBe('live')
    expect(connState('live', 'LO', 11)).toBe('stale')
    expect(connState('live', 'ATO', 11)).toBe('stale')
    expect(connState('live', 'BREAK', 600)).toBe('live') // nothing trades at lunch
    expect(connState('live', null, 600)).toBe('live')
    expect(connState('reconnecting', 'LO', 1)).toBe('reconnecting')
    expect(connState('connecting', 'LO', Infinity)).toBe('connecting')
  })
})
