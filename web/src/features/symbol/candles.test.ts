import { describe, expect, it } from 'vitest'
import { chartTime, foldLive } from './candles'
import type { Candle } from '../../lib/model/types'

describe('candles', () => {
  it('maps exchange time to a UTC chart time', () => {
    expect(chartTime('2026-11-25', '09:15')).toBe(Date.UTC(2026, 10, 25, 9, 15) / 1000)
  })
  it('folds live prices into the open candle or a new one', () => {
    const c: Candle = {
      symbol: 'FPT',
      time: '2026-11-25T09:15:00+07:00',
      open: 10,
      high: 11,
      low: 9,
      close: 10,
      volume: 5,
      active_buy_vol: 3,
      active_sell_vol: 2,
      neutral_vol: 0,
      value: 0,
      trade_count: 2,
      closed: false,
    }
    // the live price's exchange time is a second within the minute
    const a = foldLive([c], '2026-11-25T09:15:42+07:00', 12, { buy: 4, sell: 0, neutral: 0 })
    expect(a[0]).toMatchObject({ open: 10, high: 12, low: 9, close: 12, volume: 9, active_buy_vol: 7 })
    const b = foldLive(a, '2026-11-25T09:16:03+07:00', 8)
    expect(b).toHaveLength(2)
    expect(b[1]).toMatchObject({
      symbol: 'FPT',
      time: '2026-11-25T09:16:00+07:00',
      open: 8,
      close: 8,
      volume: 0,
      closed: false,
    })
    expect(foldLive(b, '2026-11-25T09:14:59+07:00', 1)).toBe(b)
  })
})
