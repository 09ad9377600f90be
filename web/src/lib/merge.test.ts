import { describe, expect, it } from 'vitest'
import { mergeSeries, mergeSymbol, upsertPoint } from './merge'
import { applyIndex, applyMarket, indexSeries, symbols, futures } from './market'
import type { SymbolState, WsMessage } from './types'

const flow = (v: number) => ({
  active_buy_vol: v, active_sell_vol: 0, neutral_vol: 0, total_vol: v, active_buy_val: 0, active_sell_val: 0,
  neutral_val: 0, total_val: 0, trade_count: 1, vwap: null, active_buy_ratio: 1,
})
const sym = (symbol: string, last: number, sessions: SymbolState['sessions']): SymbolState =>
  ({ symbol, kind: 'vn30', last_price: last, sessions, bid: [], ask: [] }) as unknown as SymbolState

describe('mergeSymbol', () => {
  it('keeps the session buckets a delta does not carry', () => {
    const prev = sym('ACB', 100, { ato: flow(5), continuous: flow(10) })
    const next = sym('ACB', 101, { continuous: flow(12) })
    const m = mergeSymbol(prev, next)
    expect(m.last_price).toBe(101)
    expect(m.sessions.ato?.total_vol).toBe(5)
    expect(m.sessions.continuous?.total_vol).toBe(12)
  })
  it('takes the first message as is', () => {
    const next = sym('FPT', 1, {})
    expect(mergeSymbol(undefined, next)).toBe(next)
  })
})

describe('mergeSeries / upsertPoint', () => {
  it('replaces the point of the same minute and appends later ones', () => {
    const s: [string, number][] = [['09:15:00', 1], ['09:16:00', 2]]
    expect(mergeSeries(s, [['09:16:00', 3]])).toEqual([['09:15:00', 1], ['09:16:00', 3]])
    expect(mergeSeries(s, [['09:17:00', 4]])).toEqual([...s, ['09:17:00', 4]])
    expect(mergeSeries(s, [['09:10:00', 9]])).toEqual(s)
  })
  it('upserts by time', () => {
    const s = [{ time: '09:15', v: 1 }]
    expect(upsertPoint(s, { time: '09:15', v: 2 })).toEqual([{ time: '09:15', v: 2 }])
    expect(upsertPoint(s, { time: '09:16', v: 3 })).toHaveLength(2)
    expect(upsertPoint(s, { time: '09:14', v: 0 })).toBe(s)
  })
})

describe('applyMarket', () => {
  const m = (type: 'snapshot' | 'delta', seq: number, data: unknown): WsMessage =>
    ({ type, channel: 'market', seq, exchange_time: '09:20:00', session: 'LO', trading_date: '2026-11-25', data }) as WsMessage

  it('applies a snapshot, then a delta notifies only the changed symbol', () => {
    applyMarket(m('snapshot', 1, { symbols: { ACB: sym('ACB', 1, { ato: flow(1) }), FPT: sym('FPT', 2, {}) }, indices: {}, futures: [{ symbol: 'VN30F2612' }] }), true)
    expect(symbols.size()).toBe(2)
    expect(futures.get()).toHaveLength(1)
    let acb = 0
    let fpt = 0
    const a = symbols.subscribeKey('ACB', () => acb++)
    const f = symbols.subscribeKey('FPT', () => fpt++)
    applyMarket(m('delta', 2, { symbols: { ACB: sym('ACB', 3, { continuous: flow(2) }) }, indices: {} }), false)
    expect(acb).toBe(1)
    expect(fpt).toBe(0)
    expect(symbols.get('ACB')?.last_price).toBe(3)
    expect(symbols.get('ACB')?.sessions.ato?.total_vol).toBe(1)
    expect(futures.get()).toHaveLength(1) // a delta without futures keeps them
    a()
    f()
  })
  it('a new snapshot replaces everything held', () => {
    applyMarket(m('snapshot', 1, { symbols: { VNM: sym('VNM', 5, {}) }, indices: {} }), true)
    expect(symbols.keys()).toEqual(['VNM'])
  })
})

describe('applyIndex', () => {
  it('keeps the full series of a snapshot and merges the delta point', () => {
    const msg = (type: 'snapshot' | 'delta', series: [string, number][]) =>
      ({ type, channel: 'index', seq: 1, data: { indices: { VN30: { index: {}, series } } } }) as unknown as WsMessage
    applyIndex(msg('snapshot', [['09:15:00', 1], ['09:16:00', 2]]), true)
    applyIndex(msg('delta', [['09:16:00', 5]]), false)
    applyIndex(msg('delta', [['09:17:00', 6]]), false)
    expect(indexSeries.get('VN30')).toEqual([['09:15:00', 1], ['09:16:00', 5], ['09:17:00', 6]])
  })
})
