import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { Board } from './Board'
import { applyMarket } from '../../lib/market'
import type { SymbolState, WsMessage } from '../../lib/types'

const stock = (symbol: string, last: number, pct: number) =>
  ({
    symbol, kind: 'vn30', session: 'LO', ref_price: 20000, ceiling: 21400, floor: 18600, high: last, low: last,
    last_price: last, last_vol: 100, change: last - 20000, change_pct: pct, total_vol: 1000, active_buy_ratio: 0.6,
    bid: [[last - 50, 100]], ask: [[last + 50, 100]], sessions: {}, time: '2026-11-25T09:20:00',
  }) as unknown as SymbolState
const msg = (symbols: Record<string, unknown>): WsMessage => ({ type: 'delta', channel: 'market', seq: 1, data: { symbols } })

afterEach(cleanup)

describe('Board', () => {
  it('renders each row once and writes ticks straight into its cells; sorting reorders the rows', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('no server')))
    applyMarket(msg({ AAA: stock('AAA', 20500, 2.5), BBB: stock('BBB', 19800, -1) }), true)
    const { container } = render(<Board />)
    const rows = () => [...container.querySelectorAll('tbody tr[data-symbol]')] as HTMLTableRowElement[]
    expect(rows().map((r) => r.dataset.symbol)).toEqual(['AAA', 'BBB'])
    const last = (r: HTMLTableRowElement) => r.children[11]
    expect(last(rows()[1]).textContent).toBe('19.80')
    expect(last(rows()[1]).className).toContain('text-down')
    const bbbRow = rows()[1]
    act(() => applyMarket(msg({ BBB: { last_price: 20100, change: 100, change_pct: 0.5 } }), false))
    expect(rows()[1]).toBe(bbbRow) // same DOM row
    expect(last(bbbRow).textContent).toBe('20.10')
    expect(last(bbbRow).className).toContain('text-up')
    expect((last(bbbRow) as HTMLElement).dataset.flash).toBe('a')
    expect(bbbRow.children[14].textContent).toBe('+0.50%')
    // sort by % change (descending), then ascending
    act(() => fireEvent.click(container.querySelector('th[data-sort=change_pct]')!))
    expect(rows().map((r) => r.dataset.symbol)).toEqual(['AAA', 'BBB'])
    act(() => fireEvent.click(container.querySelector('th[data-sort=change_pct]')!))
    expect(rows().map((r) => r.dataset.symbol)).toEqual(['BBB', 'AAA'])
    expect(rows()[0].children[14].textContent).toBe('+0.50%')
    // filter: the remounted row shows the current state
    act(() => fireEvent.change(container.querySelector('[data-testid=board-filter]')!, { target: { value: 'aaa' } }))
    expect(rows().map((r) => r.dataset.symbol)).toEqual(['AAA'])
    act(() => fireEvent.change(container.querySelector('[data-testid=board-filter]')!, { target: { value: '' } }))
    expect(rows()[0].children[11].textContent).toBe('20.10')
    vi.unstubAllGlobals()
  })
  it('rebuilds the rows when a new day brings another symbol set of the same size', () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('no server')))
    applyMarket(msg({ AAA: stock('AAA', 20500, 2.5), BBB: stock('BBB', 19800, -1) }), true)
    const { container } = render(<Board />)
    const rows = () => [...container.querySelectorAll('tbody tr[data-symbol]')].map((r) => (r as HTMLElement).dataset.symbol)
    expect(rows()).toEqual(['AAA', 'BBB'])
    act(() => applyMarket(msg({ CCC: stock('CCC', 20000, 0), DDD: stock('DDD', 20100, 0.5) }), true))
    expect(rows()).toEqual(['CCC', 'DDD'])
    vi.unstubAllGlobals()
  })
})
