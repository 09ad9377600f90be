import { describe, expect, it } from 'vitest'
import { bigTrades, mergeTrades, sideTotals, tradesPath, type Trade } from './trades'

const tr = (seq: number, volume = 100, side: Trade['side'] = 'buy'): Trade => ({
  seq,
  symbol: 'FPT',
  time: `2026-12-07T09:30:${String(seq % 60).padStart(2, '0')}`,
  price: 105500,
  volume,
  value: 105500 * volume,
  side,
  method: 'exchange',
  session: 'LO',
  bid: 105400,
  ask: 105500,
})

describe('time & sales', () => {
  it('keeps trades newest first, deduplicated by seq', () => {
    const held = mergeTrades([], [tr(5), tr(3), tr(4)])
    expect(held.map((t) => t.seq)).toEqual([5, 4, 3])
    // a live delta (oldest first), one of them already held
    expect(mergeTrades(held, [tr(6), tr(7)]).map((t) => t.seq)).toEqual([7, 6, 5, 4, 3])
    expect(mergeTrades(held, [tr(4), tr(8)]).map((t) => t.seq)).toEqual([8, 5, 4, 3])
    // an older page
    expect(mergeTrades(held, [tr(2), tr(1)]).map((t) => t.seq)).toEqual([5, 4, 3, 2, 1])
    expect(mergeTrades(held, [])).toBe(held)
    expect(mergeTrades(held, [tr(9), tr(10)], 3).map((t) => t.seq)).toEqual([10, 9, 5])
  })

  it('filters by size and sums the sides', () => {
    const list = [tr(1, 100, 'buy'), tr(2, 20000, 'sell'), tr(3, 50000, 'neutral'), tr(4, 300, 'sell')]
    expect(bigTrades(list, 10000).map((t) => t.seq)).toEqual([2, 3])
    expect(bigTrades(list, 0)).toBe(list)
    expect(sideTotals(list)).toEqual({ buy: 100, sell: 20300, neutral: 50000 })
  })

  it('asks the REST API with the page and the size filter', () => {
    expect(tradesPath('FPT')).toBe('/api/market/trades/FPT?limit=200')
    expect(tradesPath('VN30F1M', { beforeSeq: 10, minVolume: 5, limit: 500 })).toBe(
      '/api/market/trades/VN30F1M?limit=500&before_seq=10&min_volume=5',
    )
  })
})
