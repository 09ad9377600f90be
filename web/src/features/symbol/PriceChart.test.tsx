import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render } from '@testing-library/react'

// lightweight-charts draws on a canvas jsdom does not have: a stand-in that records the data it is given.
const setData = vi.fn()
vi.mock('lightweight-charts', () => {
  const series = () => ({
    setData: (d: unknown[]) => setData(d),
    createPriceLine: vi.fn(() => ({})),
    removePriceLine: vi.fn(),
    priceScale: () => ({ applyOptions: vi.fn() }),
  })
  return {
    CandlestickSeries: 'c',
    HistogramSeries: 'h',
    LineSeries: 'l',
    ColorType: { Solid: 'solid' },
    LineStyle: { Dashed: 2 },
    createChart: () => ({
      addSeries: series,
      panes: () => [{ setHeight: vi.fn() }, { setHeight: vi.fn() }],
      timeScale: () => ({
        fitContent: vi.fn(),
        setVisibleLogicalRange: vi.fn(),
        subscribeVisibleTimeRangeChange: vi.fn(),
      }),
      subscribeCrosshairMove: vi.fn(),
      remove: vi.fn(),
    }),
  }
})

import { PriceChart, historyPages, sessionWhitespace } from './PriceChart'
import { meta } from '../../lib/state/market'
import { isoToChart } from '../../lib/model/bars'

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))
// A candle of /api/market/candles on 2026-12-07 ("HH:MM" its minute).
const candle = (time: string, c: number) => ({
  symbol: 'FPT',
  time: `2026-12-07T${time}:00+07:00`,
  open: c,
  high: c + 100,
  low: c - 100,
  close: c,
  volume: 1000,
  active_buy_vol: 600,
  active_sell_vol: 300,
  neutral_vol: 100,
  value: c * 1000,
  trade_count: 5,
  closed: true,
})

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('price chart', () => {
  it('today from memory at any timeframe; other days from the store, and a 503 says there is no history', async () => {
    meta.set({ trading_date: '2026-12-07', exchange_time: '10:00:00', session: 'LO' })
    const urls: string[] = []
    vi.stubGlobal('fetch', (u: string) => {
      urls.push(u)
      if (u.startsWith('/api/market/candles/FPT'))
        return json({
          symbol: 'FPT',
          candles: [candle('09:15', 105000), candle('09:16', 105100), candle('09:21', 105200)],
        })
      return json({ error: { code: 'store_unavailable', message: 'no history store is configured' } }, 503)
    })
    const { container } = render(
      <PriceChart
        inst={{ name: 'FPT', apiId: 'FPT', kind: 'stock' }}
        lines={{ ref: 105000, ceiling: 112300, floor: 97700 }}
      />,
    )
    await act(async () => {})
    const count = () => container.querySelector('[data-testid=chart-count]') as HTMLElement
    expect(count().dataset.bars).toBe('3')
    expect(count().textContent).toBe('3 nến × 1 phút')
    expect(container.querySelector('[data-testid=chart-legend]')!.textContent).toContain('Đóng 105.20')
    // 5 minutes, today: aggregated here, no store needed
    await act(async () => {
      fireEvent.click(container.querySelector('[data-tf="5m"]')!)
    })
    expect(count().dataset.bars).toBe('2')
    expect(count().dataset.history).toBe('0')
    // the volume series never carry a negative value
    for (const call of setData.mock.calls)
      for (const p of call[0] as { value?: number }[])
        if (p.value !== undefined) expect(p.value).toBeGreaterThanOrEqual(0)
    // five days: the history store, which this server does not have
    await act(async () => {
      fireEvent.click(container.querySelector('[data-range="range_5d"]')!)
    })
    expect(
      urls.some((u) =>
        u.startsWith('/api/history/FPT/candles?interval=5m&from=2026-11-30&to=2026-12-07T23%3A59%3A59&limit=10000'),
      ),
    ).toBe(true)
    expect(count().dataset.state).toBe('unavailable')
    expect(container.querySelector('[data-testid=chart-message]')!.textContent).toContain('--db none')
  })

  it("today's whitespace covers the rest of the session in steps of the timeframe", () => {
    const after = isoToChart('2026-12-07T11:00:00')
    const ws = sessionWhitespace('2026-12-07', '15m', after)
    expect(ws[0]).toBe(isoToChart('2026-12-07T11:15:00'))
    expect(ws).toContain(isoToChart('2026-12-07T13:00:00'))
    expect(ws).not.toContain(isoToChart('2026-12-07T12:00:00'))
    expect(ws[ws.length - 1]).toBe(isoToChart('2026-12-07T14:45:00'))
    expect(sessionWhitespace('2026-12-07', '1d', 0)).toEqual([])
  })

  it('reads a long history page after page', async () => {
    const asked: string[] = []
    const rows = (n: number, start: number) =>
      Array.from({ length: n }, (_, i) => ({
        time: `${new Date(Date.UTC(2026, 11, 1, 9, 0, start + i)).toISOString().slice(0, 19)}+07:00`,
      }))
    const get = async <R,>(url: string): Promise<R> => {
      asked.push(url)
      return (asked.length === 1 ? rows(10000, 0) : rows(3, 10000)) as R
    }
    const all = await historyPages<{ time: string }>('/api/history/index/VN30', {}, '2026-12-01', '2026-12-07', get)
    expect(all).toHaveLength(10003)
    expect(asked[1]).toContain(`from=${encodeURIComponent('2026-12-01T11:46:40')}`) // the second after the 10,000th row
  })
})
