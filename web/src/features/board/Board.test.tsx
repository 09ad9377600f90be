import { afterEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { Board } from './Board'
import { applyMarket } from '../../lib/state/market'
import { connection } from '../../lib/transport/connection'
import { route } from '../../lib/state/router'
import { defaultLists, updateWatchlists } from '../../lib/state/watchlists'
import type { SymbolState, WsMessage } from '../../lib/model/types'

const stock = (symbol: string, last: number, pct: number) =>
  ({
    symbol,
    kind: 'vn30',
    session: 'LO',
    ref_price: 20000,
    ceiling: 21400,
    floor: 18600,
    high: last,
    low: last,
    last_price: last,
    last_vol: 100,
    change: last - 20000,
    change_pct: pct,
    total_vol: 1000,
    active_buy_ratio: 0.6,
    bid: [[last - 50, 100]],
    ask: [[last + 50, 100]],
    sessions: {},
    time: '2026-11-25T09:20:00',
  }) as unknown as SymbolState
const msg = (symbols: Record<string, unknown>): WsMessage => ({
  type: 'delta',
  channel: 'market',
  seq: 1,
  data: { symbols },
})

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
    const rows = () =>
      [...container.querySelectorAll('tbody tr[data-symbol]')].map((r) => (r as HTMLElement).dataset.symbol)
    expect(rows()).toEqual(['AAA', 'BBB'])
    act(() => applyMarket(msg({ CCC: stock('CCC', 20000, 0), DDD: stock('DDD', 20100, 0.5) }), true))
    expect(rows()).toEqual(['CCC', 'DDD'])
    vi.unstubAllGlobals()
  })

  it('keyboard: type a ticker to jump, arrows move, Enter opens the symbol page, / focuses the filter', () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('no server')))
    applyMarket(msg({ AAA: stock('AAA', 20500, 2.5), BBB: stock('BBB', 19800, -1), BCC: stock('BCC', 20000, 0) }), true)
    const { container } = render(<Board />)
    const sel = () =>
      [...container.querySelectorAll('tbody tr[data-selected]')].map((r) => (r as HTMLElement).dataset.symbol)
    act(() => {
      fireEvent.keyDown(window, { key: 'b' })
    })
    expect(sel()).toEqual(['BBB'])
    act(() => {
      fireEvent.keyDown(window, { key: 'c' })
    })
    expect(sel()).toEqual(['BCC']) // "BC"
    act(() => {
      fireEvent.keyDown(window, { key: 'ArrowUp' })
    })
    expect(sel()).toEqual(['BBB'])
    act(() => {
      fireEvent.keyDown(window, { key: 'ArrowUp' })
      fireEvent.keyDown(window, { key: 'ArrowUp' })
    })
    expect(sel()).toEqual(['AAA']) // stops at the top
    act(() => {
      fireEvent.keyDown(window, { key: 'Enter' })
    })
    expect(location.pathname).toBe('/symbol/AAA')
    expect(route.get()).toBe('/symbol/AAA')
    // "/" focuses the filter, which takes a list
    const filter = container.querySelector('[data-testid=board-filter]') as HTMLInputElement
    act(() => {
      fireEvent.keyDown(window, { key: '/' })
    })
    expect(document.activeElement).toBe(filter)
    act(() => fireEvent.change(filter, { target: { value: 'AAA, BCC' } }))
    const rows = () =>
      [...container.querySelectorAll('tbody tr[data-symbol]')].map((r) => (r as HTMLElement).dataset.symbol)
    expect(rows()).toEqual(['AAA', 'BCC'])
    // typing in the filter does not jump; Escape leaves it
    act(() => {
      fireEvent.keyDown(filter, { key: 'b' })
      fireEvent.keyDown(filter, { key: 'Escape' })
    })
    expect(sel()).toEqual(['AAA'])
    // a click on a row opens it too; the star does not
    act(() => fireEvent.click(container.querySelector('button[aria-label="watch BCC"]')!))
    expect(location.pathname).toBe('/symbol/AAA')
    act(() => fireEvent.click(container.querySelector('tr[data-symbol=BCC] td:nth-child(5)')!))
    expect(location.pathname).toBe('/symbol/BCC')
    history.pushState(null, '', '/')
    vi.unstubAllGlobals()
  })

  it('dims the board while the feed is down', () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('no server')))
    applyMarket(msg({ AAA: stock('AAA', 20500, 2.5) }), true)
    const { container } = render(<Board />)
    const wrap = () => container.querySelector('[data-testid=board-wrap]') as HTMLElement
    act(() => connection.set({ state: 'live', since: null, lastExchangeTime: null }))
    expect(wrap().dataset.dim).toBeUndefined()
    act(() => connection.set({ state: 'reconnecting', since: Date.now(), lastExchangeTime: '10:00:00' }))
    expect(wrap().dataset.dim).toBe('')
    expect(wrap().className).toContain('board-dim')
    act(() => connection.set({ state: 'live', since: null, lastExchangeTime: null }))
    expect(wrap().dataset.dim).toBeUndefined()
    vi.unstubAllGlobals()
  })

  it('several named watchlists; the star toggles the active one', () => {
    vi.stubGlobal('fetch', () => Promise.reject(new Error('no server')))
    updateWatchlists(() => defaultLists('Danh mục 1'))
    applyMarket(msg({ AAA: stock('AAA', 20500, 2.5), BBB: stock('BBB', 19800, -1) }), true)
    const { container } = render(<Board />)
    const rows = () =>
      [...container.querySelectorAll('tbody tr[data-symbol]')].map((r) => (r as HTMLElement).dataset.symbol)
    act(() => fireEvent.click(container.querySelector('button[aria-label="watch AAA"]')!))
    act(() => fireEvent.click(container.querySelector('[data-testid=watch-only]')!))
    expect(rows()).toEqual(['AAA'])
    act(() => fireEvent.click(container.querySelector('[data-testid=watchlist-new]')!))
    act(() =>
      fireEvent.change(container.querySelector('[data-testid=watchlist-name]')!, { target: { value: 'Second' } }),
    )
    act(() => fireEvent.click(container.querySelector('[data-testid=watchlist-add]')!))
    expect(rows()).toEqual([]) // the new list is active and empty
    act(() => fireEvent.click(container.querySelector('[data-testid=watch-only]')!))
    act(() => fireEvent.click(container.querySelector('button[aria-label="watch BBB"]')!))
    act(() => fireEvent.click(container.querySelector('[data-testid=watch-only]')!))
    expect(rows()).toEqual(['BBB'])
    const select = container.querySelector('[data-testid=watchlist-select]') as HTMLSelectElement
    expect([...select.options].map((o) => o.textContent)).toEqual(['Danh mục 1 (1)', 'Second (1)'])
    act(() => fireEvent.change(select, { target: { value: '0' } }))
    expect(rows()).toEqual(['AAA'])
    expect(
      JSON.parse(localStorage.getItem('vnt.watchlists')!).lists.map((l: { symbols: string[] }) => l.symbols),
    ).toEqual([['AAA'], ['BBB']])
    act(() => fireEvent.click(container.querySelector('[data-testid=watch-only]')!))
    vi.unstubAllGlobals()
  })
})
