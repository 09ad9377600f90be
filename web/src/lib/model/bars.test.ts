import { describe, expect, it } from 'vitest'
import {
  addDays,
  aggregate,
  barsFromHistory,
  barsFromPoints,
  barsFromToday,
  chartLabel,
  isoToChart,
  smaLine,
  volumeStacks,
  vwapLine,
  type Bar,
} from './bars'
import type { Candle } from './types'

// A candle as the server sends it; "HH:MM" is a minute of 2026-12-07.
const candle = (
  time: string,
  o: number,
  h: number,
  l: number,
  c: number,
  vol = 100,
  buy = 60,
  sell = 30,
  neutral = 10,
): Candle => ({
  symbol: 'FPT',
  time: time.length === 5 ? `2026-12-07T${time}:00+07:00` : time,
  open: o,
  high: h,
  low: l,
  close: c,
  volume: vol,
  active_buy_vol: buy,
  active_sell_vol: sell,
  neutral_vol: neutral,
  value: c * vol,
  trade_count: 3,
  closed: true,
})

describe('bars', () => {
  it('exchange times are chart seconds written as UTC', () => {
    expect(isoToChart('2026-12-07T09:15:00')).toBe(Date.UTC(2026, 11, 7, 9, 15) / 1000)
    // the server's form: the exchange's clock reading, whatever the offset
    expect(isoToChart('2026-12-07T09:15:30+07:00')).toBe(Date.UTC(2026, 11, 7, 9, 15, 30) / 1000)
    expect(isoToChart('2026-12-07')).toBe(Date.UTC(2026, 11, 7) / 1000)
    expect(chartLabel(isoToChart('2026-12-07T09:15:00'), false)).toBe('09:15')
    expect(chartLabel(isoToChart('2026-12-07'), true)).toBe('07/12/2026')
    expect(addDays('2026-12-07', -7)).toBe('2026-11-30')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
  })

  it("today's candles without a price are left out", () => {
    const bars = barsFromToday([
      candle('09:15', 100, 110, 95, 105),
      { ...candle('09:16', 0, 0, 0, 0), open: null, high: null, low: null, close: null, volume: 0 },
    ])
    expect(bars).toHaveLength(1)
    expect(bars[0]).toMatchObject({ day: '2026-12-07', open: 100, close: 105, buy: 60, sell: 30, neutral: 10 })
  })

  it('aggregates to 5m, 1h and 1D without crossing a day', () => {
    const day1 = barsFromToday([
      candle('09:15', 100, 110, 95, 105),
      candle('09:16', 105, 120, 104, 118),
      candle('09:19', 118, 119, 90, 92),
      candle('09:20', 92, 93, 91, 93),
      candle('10:01', 93, 94, 92, 94),
    ])
    const m5 = aggregate(day1, '5m')
    expect(m5.map((b) => chartLabel(b.time, false))).toEqual(['09:15', '09:20', '10:00'])
    expect(m5[0]).toMatchObject({ open: 100, high: 120, low: 90, close: 92, volume: 300, buy: 180, trades: 9 })
    expect(aggregate(day1, '1h').map((b) => chartLabel(b.time, false))).toEqual(['09:00', '10:00'])
    const day2 = barsFromHistory([{ ...candle('2026-12-08T09:15:00+07:00', 200, 201, 199, 200), symbol: 'FPT' }])
    const d = aggregate([...day1, ...day2], '1d')
    expect(d).toHaveLength(2)
    expect(d[0]).toMatchObject({ open: 100, high: 120, low: 90, close: 94, volume: 500 })
    expect(d[1]).toMatchObject({ open: 200, close: 200, day: '2026-12-08' })
    expect(aggregate(day1, '1m')).toBe(day1)
  })

  it('VWAP from value / volume for stocks, from the typical price otherwise, reset each day', () => {
    const bars = barsFromToday([candle('09:15', 100, 110, 90, 100, 100), candle('09:16', 100, 130, 110, 120, 300)])
    expect(vwapLine(bars, true).map((p) => p.value)).toEqual([100, (100 * 100 + 120 * 300) / 400])
    const typical = vwapLine(bars, false).map((p) => p.value)
    expect(typical[0]).toBeCloseTo(100)
    expect(typical[1]).toBeCloseTo((100 * 100 + 120 * 300) / 400)
    // a live minute whose value lags its volume: its typical price instead
    const lagging = barsFromToday([{ ...candle('09:15', 100, 110, 90, 100, 100), value: 100 * 50 }])
    expect(vwapLine(lagging, true)[0].value).toBeCloseTo(100)
    const next = barsFromHistory([{ ...candle('2026-12-08T09:15:00+07:00', 50, 50, 50, 50), symbol: 'X' }])
    expect(vwapLine([...bars, ...next], true).pop()!.value).toBe(50)
  })

  it('MA over the closes', () => {
    const bars = [1, 2, 3, 4].map((c, i) => ({ time: i, close: c }) as Bar)
    expect(smaLine(bars, 3).map((p) => p.value)).toEqual([2, 3])
  })

  it('the volume pane is stacked from zero and never negative', () => {
    const v = volumeStacks([
      { time: 1, volume: 100, buy: 60, sell: 30, neutral: 10 } as Bar,
      { time: 2, volume: 0, buy: 0, sell: 0, neutral: 0 } as Bar,
    ])
    expect(v.all.map((p) => p.value)).toEqual([100, 0])
    expect(v.directed.map((p) => p.value)).toEqual([90, 0])
    expect(v.buy.map((p) => p.value)).toEqual([60, 0])
    expect([...v.all, ...v.directed, ...v.buy].every((p) => p.value >= 0)).toBe(true)
  })

  it('index values become bars (volume from the cumulative quantity)', () => {
    const bars = barsFromPoints(
      [
        { time: '2026-12-07T09:15:00', value: 1000, total_qtty: 0 },
        { time: '2026-12-07T09:15:30', value: 1010, total_qtty: 500 },
        { time: '2026-12-07T09:16:10', value: 1005, total_qtty: 800 },
        { time: '2026-12-07T09:17:00', value: null, total_qtty: 900 },
      ],
      '1m',
    )
    expect(bars).toHaveLength(2)
    expect(bars[0]).toMatchObject({ open: 1000, high: 1010, low: 1000, close: 1010, volume: 500 })
    expect(bars[1]).toMatchObject({ open: 1010, high: 1010, low: 1005, close: 1005, volume: 300 })
  })
})
