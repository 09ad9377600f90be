import { describe, expect, it } from 'vitest'
import { ApiError } from '../../lib/transport/api'
import {
  BasisFold,
  foreignDays,
  historyFailure,
  loadBasisHistory,
  nextSecond,
  type BasisRow,
  type ForeignDay,
} from './api'

const fd = (date: string, net: number): ForeignDay => ({
  symbol: 'FPT',
  time: `${date}T14:45:00+07:00`,
  buy_vol: 0,
  sell_vol: 0,
  net_vol: net / 100,
  buy_val: Math.max(net, 0),
  sell_val: Math.max(-net, 0),
  net_val: net,
  total_room: null,
  current_room: 1000,
  net_speed_vol: 0,
  net_speed_val: 0,
  net_accel_vol: 0,
  net_accel_val: 0,
})

const br = (time: string, basis: number, fair = 2): BasisRow => ({
  contract: 'VN30F2612',
  krx_code: '41I1G6000',
  time,
  price: 1300 + basis,
  spot: 1300,
  basis,
  basis_pct: (basis / 1300) * 100,
  fair_basis: fair,
  volume: 1,
})

describe('foreign flow by day', () => {
  it('sorts oldest first and adds the running net', () => {
    const rows = foreignDays([fd('2026-12-04', -5e9), fd('2026-12-02', 2e9), fd('2026-12-03', 1e9)])
    expect(rows.map((r) => r.date)).toEqual(['2026-12-02', '2026-12-03', '2026-12-04'])
    expect(rows.map((r) => r.cum_net_val)).toEqual([2e9, 3e9, -2e9])
  })
})

describe('basis over several days', () => {
  it('keeps the last row of each minute and a summary per day', () => {
    const f = new BasisFold()
    f.add([
      br('2026-12-03T09:00:05+07:00', 3),
      br('2026-12-03T09:00:50+07:00', 4),
      br('2026-12-03T14:45:00+07:00', -1, 1.5),
    ])
    f.add([br('2026-12-04T09:00:01+07:00', 2), br('2026-12-04T10:00:00+07:00', 6)])
    expect(f.points().map((p) => [p.time, p.basis])).toEqual([
      ['2026-12-03T09:00', 4],
      ['2026-12-03T14:45', -1],
      ['2026-12-04T09:00', 2],
      ['2026-12-04T10:00', 6],
    ])
    const [d1, d2] = f.days()
    expect(d1).toMatchObject({ date: '2026-12-03', open: 3, close: -1, min: -1, max: 4, fair_close: 1.5, rows: 3 })
    expect(d2).toMatchObject({ date: '2026-12-04', open: 2, close: 6, min: 2, max: 6, rows: 2 })
    expect(f.rows).toBe(5)
  })

  it('next second crosses minutes and days', () => {
    expect(nextSecond('2026-12-07T09:15:59')).toBe('2026-12-07T09:16:00')
    expect(nextSecond('2026-12-07T09:15:59+07:00')).toBe('2026-12-07T09:16:00') // a `from` bound the server takes
    expect(nextSecond('2026-12-31T23:59:59')).toBe('2027-01-01T00:00:00')
  })

  it('reads the range page by page, each page starting after the last row', async () => {
    const asked: string[] = []
    const pages = [
      [br('2026-12-03T09:00:00', 1), br('2026-12-03T09:00:01', 2)],
      [br('2026-12-04T09:00:00', 3), br('2026-12-04T09:00:01', 4)],
      [br('2026-12-04T09:00:02', 5)],
    ]
    const { fold, truncated } = await loadBasisHistory(
      'VN30F1M',
      '2026-12-01',
      '2026-12-07',
      async (p) => {
        asked.push(p)
        return pages[asked.length - 1]
      },
      { page: 2 },
    )
    expect(truncated).toBe(false)
    expect(asked).toHaveLength(3)
    expect(asked[0]).toBe('/api/history/derivatives/VN30F1M?from=2026-12-01&to=2026-12-07&limit=2')
    expect(asked[1]).toContain('from=2026-12-03T09%3A00%3A02')
    expect(fold.days().map((d) => [d.date, d.close])).toEqual([
      ['2026-12-03', 2],
      ['2026-12-04', 5],
    ])
  })

  it('stops after the page cap and says the range was cut', async () => {
    let n = 0
    const { truncated } = await loadBasisHistory(
      'X',
      '2026-12-01',
      '2026-12-07',
      async () => [br(`2026-12-0${++n}T09:00:00`, n)],
      { page: 1, maxPages: 3 },
    )
    expect(truncated).toBe(true)
    expect(n).toBe(3)
  })

  it('a 503 means no store, anything else an error', () => {
    expect(historyFailure(new ApiError(503, 'no history store is configured', 'store_unavailable'))).toBe('unavailable')
    expect(historyFailure(new ApiError(500, 'boom'))).toBe('error')
    expect(historyFailure(new TypeError('fetch failed'))).toBe('error')
  })
})
