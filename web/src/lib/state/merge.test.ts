import { describe, expect, it } from 'vitest'
import { deepMerge, mergeFutures, mergeSeries, mergeSymbol, upsertPoint } from './merge'
import { applyIndex, applyMarket, indexSeries, indices, symbols, futures } from './market'
import type { FuturesState, SymbolState, WsMessage } from '../model/types'

const flow = (v: number) => ({
  active_buy_vol: v,
  active_sell_vol: 0,
  neutral_vol: 0,
  total_vol: v,
  active_buy_val: 0,
  active_sell_val: 0,
  neutral_val: 0,
  total_val: 0,
  trade_count: 1,
  vwap: null,
  active_buy_ratio: 1,
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

describe('field-level patches', () => {
  it('deep-merges objects, replaces arrays and scalars, keeps what the patch does not name', () => {
    const prev = {
      a: 1,
      b: 'x',
      s: { ato: { v: 1, w: 2 }, lo: { v: 3 } },
      bid: [
        [1, 2],
        [3, 4],
      ],
      f: { r: 5 },
    }
    const next = deepMerge(prev, { a: 2, s: { lo: { v: 4 } }, bid: [[1, 3]], f: null })
    expect(next).toEqual({ a: 2, b: 'x', s: { ato: { v: 1, w: 2 }, lo: { v: 4 } }, bid: [[1, 3]], f: null })
    expect(prev.s.lo.v).toBe(3) // the previous state is not mutated (React compares references)
    expect(next.s.ato).toBe(prev.s.ato) // untouched branches are shared
  })
  it('merges futures patches by symbol and appends new contracts', () => {
    const prev = [
      { symbol: 'VN30F2612', last: 1, basis: 2 },
      { symbol: 'VN30F2701', last: 5, basis: 6 },
    ] as unknown as FuturesState[]
    const out = mergeFutures(prev, [
      { symbol: 'VN30F2701', basis: 7 },
      { symbol: 'VN30F2703', last: 9 },
    ] as Partial<FuturesState>[])
    expect(out.map((f) => [f.symbol, f.last, f.basis])).toEqual([
      ['VN30F2612', 1, 2],
      ['VN30F2701', 5, 7],
      ['VN30F2703', 9, undefined],
    ])
    expect(out[0]).toBe(prev[0])
  })
})

describe('mergeSeries / upsertPoint', () => {
  it('replaces the point of the same minute and appends later ones', () => {
    const s: [string, number][] = [
      ['09:15:00', 1],
      ['09:16:00', 2],
    ]
    expect(mergeSeries(s, [['09:16:00', 3]])).toEqual([
      ['09:15:00', 1],
      ['09:16:00', 3],
    ])
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
    ({
      type,
      channel: 'market',
      seq,
      exchange_time: '09:20:00',
      session: 'LO',
      trading_date: '2026-11-25',
      data,
    }) as WsMessage

  it('applies a snapshot, then a delta notifies only the changed symbol', () => {
    applyMarket(
      m('snapshot', 1, {
        symbols: { ACB: sym('ACB', 1, { ato: flow(1) }), FPT: sym('FPT', 2, {}) },
        indices: {},
        futures: [{ symbol: 'VN30F2612' }],
      }),
      true,
    )
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
  it('applies a patch delta: only the members sent change, futures by symbol, indices deep', () => {
    applyMarket(
      m('snapshot', 1, {
        symbols: { ACB: { ...sym('ACB', 1, { ato: flow(1), continuous: flow(2) }), total_vol: 3, bid: [[1, 10]] } },
        indices: { VN30: { id: 'VN30', value: 1300, advances: 10 } },
        futures: [
          { symbol: 'VN30F2612', last: 1300, basis: 1 },
          { symbol: 'VN30F2701', last: 1301, basis: 2 },
        ],
      }),
      true,
    )
    applyMarket(
      m('delta', 2, {
        symbols: { ACB: { last_price: 2, sessions: { continuous: { total_vol: 4 } }, bid: [] } },
        indices: { VN30: { value: 1301 } },
        futures: [{ symbol: 'VN30F2701', basis: 3 }],
      }),
      false,
    )
    const acb = symbols.get('ACB')!
    expect(acb.last_price).toBe(2)
    expect(acb.total_vol).toBe(3)
    expect(acb.sessions.ato?.total_vol).toBe(1)
    expect(acb.sessions.continuous?.total_vol).toBe(4)
    expect(acb.sessions.continuous?.trade_count).toBe(1)
    expect(acb.bid).toEqual([])
    expect(indices.get('VN30')).toEqual({ id: 'VN30', value: 1301, advances: 10 })
    expect(futures.get().map((f) => [f.symbol, f.last, f.basis])).toEqual([
      ['VN30F2612', 1300, 1],
      ['VN30F2701', 1301, 3],
    ])
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
    applyIndex(
      msg('snapshot', [
        ['09:15:00', 1],
        ['09:16:00', 2],
      ]),
      true,
    )
    applyIndex(msg('delta', [['09:16:00', 5]]), false)
    applyIndex(msg('delta', [['09:17:00', 6]]), false)
    expect(indexSeries.get('VN30')).toEqual([
      ['09:15:00', 1],
      ['09:16:00', 5],
      ['09:17:00', 6],
    ])
  })
})
