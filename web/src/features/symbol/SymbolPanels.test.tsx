import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { OrderBook, TimeSales } from './panels'
import type { Trade } from './trades'

// A WebSocket the test drives: every socket made is kept, messages are pushed with emit().
class FakeSocket {
  static all: FakeSocket[] = []
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: (() => void) | null = null
  onerror: (() => void) | null = null
  sent: string[] = []
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(s: string) {
    this.sent.push(s)
  }
  close() {
    this.onclose?.()
  }
  emit(m: unknown) {
    this.onmessage?.({ data: JSON.stringify(m) })
  }
}

const tr = (seq: number, volume: number, side: Trade['side'], price = 105500): Trade => ({
  seq,
  symbol: 'FPT',
  time: `2026-12-07T09:30:${String(seq).padStart(2, '0')}+07:00`,
  price,
  volume,
  value: price * volume,
  side,
  method: 'exchange',
  session: 'LO',
  bid: null,
  ask: null,
})

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  FakeSocket.all = []
})

const day = { ref: 105000, ceiling: 112300, floor: 97700 }

describe('time & sales', () => {
  it('shows the REST list, then live trades from /ws/trades, coloured by aggressor; filters by size', async () => {
    const urls: string[] = []
    vi.stubGlobal('fetch', (u: string) => {
      urls.push(u)
      if (u.includes('min_volume')) return json({ symbol: 'FPT', trades: [tr(1, 50000, 'sell')] })
      return json({ symbol: 'FPT', trades: [tr(3, 100, 'buy'), tr(2, 20000, 'sell')] })
    })
    vi.stubGlobal('WebSocket', FakeSocket)
    const { container } = render(<TimeSales symbol="FPT" kind="stock" day={day} />)
    await act(async () => {})
    const seqs = () =>
      [...container.querySelectorAll('[data-testid=trades] tbody tr')].map((r) =>
        Number((r as HTMLElement).dataset.seq),
      )
    expect(seqs()).toEqual([3, 2])
    expect(urls[0]).toBe('/api/market/trades/FPT?limit=200')
    const ws = FakeSocket.all[0]
    expect(ws.url).toMatch(/\/ws\/trades\?symbols=FPT$/)
    act(() =>
      ws.emit({
        type: 'snapshot',
        channel: 'trades',
        seq: 10,
        trading_date: '2026-12-07',
        data: { trades: [tr(3, 100, 'buy')] },
      }),
    )
    act(() =>
      ws.emit({
        type: 'delta',
        channel: 'trades',
        seq: 11,
        data: { trades: [tr(4, 700, 'sell'), tr(5, 1200, 'buy', 105600)] },
      }),
    )
    expect(seqs()).toEqual([5, 4, 3, 2])
    expect(container.querySelector('[data-testid=time-sales]')!.getAttribute('data-status')).toBe('live')
    const row5 = container.querySelector('tr[data-seq="5"]')!
    expect([...row5.children].map((c) => c.textContent)).toEqual(['09:30:05', '105.60', '1,200', 'Mua', 'Sở GD'])
    expect(row5.children[3].className).toContain('text-up')
    expect(row5.children[1].className).toContain('text-up') // above the reference
    expect(row5.className).toContain('trade-new')
    expect(container.querySelector('tr[data-seq="4"]')!.children[3].className).toContain('text-down')
    // a gap in seq: a snapshot is asked for and the REST list fetched again
    act(() => ws.emit({ type: 'delta', channel: 'trades', seq: 13, data: { trades: [tr(9, 1, 'buy')] } }))
    expect(ws.sent).toContain(JSON.stringify({ action: 'snapshot' }))
    expect(urls.filter((u) => u === '/api/market/trades/FPT?limit=200')).toHaveLength(2)
    // minimum size: held trades that big, and the server's big trades
    await act(async () => {
      fireEvent.change(container.querySelector('[data-testid=trades-min]')!, { target: { value: '10.000' } })
    })
    expect(seqs()).toEqual([2, 1])
    expect(urls).toContain('/api/market/trades/FPT?limit=500&min_volume=10000')
    const csv = container.querySelector('[data-testid=export-trades]') as HTMLAnchorElement
    expect(csv.getAttribute('href')).toBe('/api/market/trades/FPT?limit=5000&min_volume=10000&format=csv')
    expect(csv.hasAttribute('download')).toBe(true)
  })

  it('says when the server has no trades for the symbol', async () => {
    vi.stubGlobal('fetch', () => json({ error: { code: 'not_found', message: 'unknown symbol' } }, 404))
    vi.stubGlobal('WebSocket', FakeSocket)
    const { container } = render(<TimeSales symbol="XYZ" kind="stock" day={day} />)
    await act(async () => {})
    expect(container.querySelector('[data-testid=time-sales]')!.textContent).toContain(
      'Máy chủ không có dữ liệu khớp lệnh',
    )
  })
})

describe('order book', () => {
  it('every level the feed sends, coloured against the reference, with totals', () => {
    const bid: [number, number][] = Array.from({ length: 10 }, (_, i) => [1887.5 - i / 10, 10 + i])
    const ask: [number, number][] = Array.from({ length: 10 }, (_, i) => [1887.7 + i / 10, 20 + i])
    const { container } = render(
      <OrderBook
        bid={bid}
        ask={ask}
        day={{ ref: 1883.5, ceiling: 2015.3, floor: 1751.7 }}
        kind="futures"
        session="LO"
      />,
    )
    const rows = container.querySelectorAll('tr[data-level]')
    expect(rows).toHaveLength(10)
    expect([...rows[0].children].map((c) => c.textContent)).toEqual(['10', '1,887.5', '1,887.7', '20'])
    expect(rows[0].children[1].className).toContain('text-up')
    expect(container.querySelector('[data-testid=orderbook]')!.getAttribute('data-levels')).toBe('10')
    expect(container.textContent).toContain('145') // total bid: 10 + ... + 19
  })
  it('auction market orders at price 0 read ATO / ATC', () => {
    const { container } = render(
      <OrderBook
        bid={[[0, 5000]]}
        ask={[]}
        day={{ ref: 105000, ceiling: null, floor: null }}
        kind="stock"
        session="ATC"
      />,
    )
    expect(container.querySelector('tr[data-level="1"]')!.children[1].textContent).toBe('ATC')
  })
})
