import { describe, expect, it } from 'vitest'
import { ROW_CELLS, RowView, activeBuyClass, fmtChange, fmtLevelPrice, fmtLevelPriceAtc, fmtLevelVol } from './rowView'
import { mergeSymbol } from '../../lib/state/merge'
import { sparkGeometry } from '../../lib/ui/spark'
import type { SymbolState } from '../../lib/model/types'

// Column indexes of the cells after the star (see ROW_CELLS).
const SYM = 0,
  REF = 1,
  CEIL = 2,
  FLOOR = 3,
  BID3_P = 4,
  BID1_P = 8,
  BID1_V = 9
const LAST = 10,
  LAST_VOL = 11,
  CHANGE = 12,
  PCT = 13,
  ASK1_P = 14,
  ASK3_P = 18,
  ASK3_V = 19
const TOTAL = 20,
  VALUE = 21,
  AVG = 22,
  HIGH = 23,
  LOW = 24,
  F_BUY = 25,
  ROOM = 27,
  ABR = 28

const base = (over: Partial<SymbolState> = {}): SymbolState =>
  ({
    symbol: 'ACB',
    kind: 'vn30',
    session: 'LO',
    ref_price: 24500,
    ceiling: 26200,
    floor: 22800,
    high: 24800,
    low: 24300,
    last_price: 24650,
    last_vol: 200,
    change: 150,
    change_pct: 0.61,
    total_vol: 868200,
    total_val: 21_402_130_000,
    vwap: 24651.3,
    active_buy_ratio: 0.507,
    bid: [
      [24600, 1000],
      [24550, 2000],
      [24500, 3000],
    ],
    ask: [
      [24650, 500],
      [24700, 600],
    ],
    foreign: { buy_vol: 187300, sell_vol: 25000, current_room: 351400 },
    sessions: {},
    ...over,
  }) as unknown as SymbolState

function mount() {
  const tr = document.createElement('tr')
  const tds = Array.from({ length: ROW_CELLS }, () => tr.appendChild(document.createElement('td')))
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
  const view = new RowView('ACB', tds, svg)
  return { tds, svg, view, text: (i: number) => tds[i].textContent, cls: (i: number) => tds[i].className }
}

describe('board row cells', () => {
  it('formats every column and colours it the Vietnamese way', () => {
    const { view, text, cls } = mount()
    view.update(base(), undefined)
    expect(text(SYM)).toBe('ACB')
    expect(cls(SYM)).toBe('font-semibold text-up')
    expect([text(REF), text(CEIL), text(FLOOR)]).toEqual(['24.50', '26.20', '22.80'])
    expect([cls(REF), cls(CEIL), cls(FLOOR)]).toEqual([
      'num text-right text-ref',
      'num text-right text-ceil',
      'num text-right text-floor',
    ])
    // bid 3..1 then matched then ask 1..3
    expect(text(BID3_P)).toBe('24.50')
    expect(cls(BID3_P)).toBe('num text-right text-ref bg-emerald-950/20')
    expect([text(BID1_P), text(BID1_V)]).toEqual(['24.60', '1,000'])
    expect(cls(BID1_V)).toBe('num text-right text-up bg-emerald-950/20')
    expect([text(LAST), text(LAST_VOL), text(CHANGE), text(PCT)]).toEqual(['24.65', '200', '+0.15', '+0.61%'])
    expect(cls(LAST)).toBe('num text-right text-up font-semibold bg-slate-800/40')
    expect(cls(PCT)).toBe('num text-right text-up bg-slate-800/40')
    expect(text(ASK1_P)).toBe('24.65')
    expect(cls(ASK1_P)).toBe('num text-right text-up bg-rose-950/20')
    expect([text(ASK3_P), text(ASK3_V)]).toEqual(['', '']) // no third ask level
    expect([text(TOTAL), text(HIGH), text(LOW)]).toEqual(['868,200', '24.80', '24.30'])
    // traded value in billions of VND (the header says tỷ / bn), average price in thousands like every price
    expect([text(VALUE), text(AVG)]).toEqual(['21.4', '24.65'])
    expect([cls(VALUE), cls(AVG)]).toEqual(['num text-right text-slate-300', 'num text-right text-up'])
    expect([cls(HIGH), cls(LOW)]).toEqual(['num text-right text-up', 'num text-right text-down'])
    expect([text(F_BUY), text(ROOM)]).toEqual(['187,300', '351,400']) // one unit: shares
    expect([text(ABR), cls(ABR)]).toEqual(['50.7%', 'num text-right text-up'])
  })

  it('ceiling purple, floor cyan, reference yellow, down red', () => {
    const { view, cls } = mount()
    view.update(base({ last_price: 26200 }), undefined)
    expect(cls(LAST)).toContain('text-ceil')
    expect(cls(SYM)).toBe('font-semibold text-ceil')
    view.update(base({ last_price: 22800 }), undefined)
    expect(cls(LAST)).toContain('text-floor')
    view.update(base({ last_price: 24500 }), undefined)
    expect(cls(LAST)).toContain('text-ref')
    view.update(base({ last_price: 24400 }), undefined)
    expect(cls(LAST)).toContain('text-down')
    expect(cls(CHANGE)).toBe('num text-right text-down bg-slate-800/40')
  })

  it('auction orders show ATO, or ATC in the closing auction', () => {
    const { view, text } = mount()
    view.update(base({ session: 'ATO', bid: [[0, 5000]] }), undefined)
    expect(text(BID1_P)).toBe('ATO')
    view.update(base({ session: 'ATC', bid: [[0, 5000]] }), undefined)
    expect(text(BID1_P)).toBe('ATC')
    expect([fmtLevelPrice(0), fmtLevelPriceAtc(0), fmtLevelPrice(undefined), fmtLevelVol(1200)]).toEqual([
      'ATO',
      'ATC',
      '',
      '1,200',
    ])
    expect([fmtChange(-200), fmtChange(null)]).toEqual(['-0.20', '–'])
    expect([activeBuyClass(null), activeBuyClass(0.49)]).toEqual(['num text-right', 'num text-right text-down'])
  })

  it('shows the indicative price in the auctions, italic, with its change from the reference', () => {
    const { view, text, cls } = mount()
    const ato = base({
      session: 'ATO',
      last_price: null,
      change: null,
      change_pct: null,
      indicative_price: 24800,
    } as Partial<SymbolState>)
    view.update(ato, undefined)
    expect([text(REF), text(CEIL), text(FLOOR)]).toEqual(['24.50', '26.20', '22.80']) // before the first trade
    expect([text(LAST), text(CHANGE), text(PCT)]).toEqual(['24.80', '+0.30', '+1.22%'])
    expect(cls(LAST)).toContain('indicative')
    expect(cls(LAST)).toContain('text-up')
    // continuous trading: the matched price again, not italic
    view.update(base({ session: 'LO', indicative_price: null } as Partial<SymbolState>), undefined)
    expect(text(LAST)).toBe('24.65')
    expect(cls(LAST)).not.toContain('indicative')
    // an indicative price outside the auctions is ignored
    view.update(base({ session: 'LO', indicative_price: 25000 } as Partial<SymbolState>), undefined)
    expect(text(LAST)).toBe('24.65')
  })

  it('writes only what changed and flashes changed values', () => {
    const { tds, view, text } = mount()
    const s0 = base()
    view.update(s0, undefined)
    expect(tds.filter((td) => td.dataset.flash).length).toBe(0) // the first values do not flash
    const w0 = view.stats.writes
    view.update(s0, undefined)
    expect(view.stats.writes).toBe(w0) // same state object: nothing to do
    // A field-level patch: a trade at 24,700 that took the first ask level.
    const s1 = mergeSymbol(s0, {
      last_price: 24700,
      last_vol: 500,
      change: 200,
      total_vol: 868700,
      ask: [[24700, 100]],
    } as unknown as SymbolState)
    view.update(s1, undefined)
    expect(text(LAST)).toBe('24.70')
    const flashed = tds.map((td, i) => (td.dataset.flash ? i : -1)).filter((i) => i >= 0)
    // last price, volume, change, ask 1 price and volume, ask 2 (now empty), total volume; not change % (same value)
    expect(flashed).toEqual([LAST, LAST_VOL, CHANGE, ASK1_P, ASK1_P + 1, ASK1_P + 2, ASK1_P + 3, TOTAL])
    expect(tds[LAST].dataset.flash).toBe('a')
    // A second change of the same cell restarts the animation with the other name.
    view.update(mergeSymbol(s1, { last_price: 24750 } as unknown as SymbolState), undefined)
    expect(tds[LAST].dataset.flash).toBe('b')
    // A level appearing where there was none does not flash.
    const s3 = mergeSymbol(s1, {
      ask: [
        [24700, 100],
        [24750, 300],
      ],
    } as unknown as SymbolState)
    delete tds[ASK1_P + 2].dataset.flash
    view.update(s3, undefined)
    expect(text(ASK1_P + 2)).toBe('24.75')
    expect(tds[ASK1_P + 2].dataset.flash).toBeUndefined()
  })

  it('unchanged values cost no write', () => {
    const { view } = mount()
    view.update(base(), undefined)
    const w = view.stats.writes
    view.update(base(), undefined) // a new object with the same values
    expect(view.stats.writes).toBe(w)
  })

  it('keeps the last state while its store is cleared for a new snapshot', () => {
    const { view, text } = mount()
    view.update(base(), undefined)
    view.update(undefined, undefined)
    expect(text(LAST)).toBe('24.65')
  })
})

describe('board row sparkline', () => {
  it('draws the line in the tone of the last price with the reference dashed', () => {
    const { svg, view } = mount()
    view.update(base(), [24500])
    expect(svg.querySelector('polyline')).toBeNull() // one point: nothing to draw
    const closes = [24500, 24600, 24650]
    view.update(base(), closes)
    const poly = svg.querySelector('polyline')!
    expect(poly.getAttribute('stroke')).toBe('#22c55e')
    expect(poly.getAttribute('points')).toBe(sparkGeometry(closes, 24500, 80, 20)!.points)
    expect(svg.querySelector('line')!.getAttribute('y1')).toBe(sparkGeometry(closes, 24500, 80, 20)!.refY)
    view.update(base({ last_price: 24400 }), closes)
    expect(poly.getAttribute('stroke')).toBe('#ef4444')
    const w = view.stats.writes
    view.update(base({ last_price: 24400 }), closes)
    expect(view.stats.writes).toBe(w)
  })
})

describe('sparkGeometry', () => {
  it('nothing for fewer than two values', () => {
    expect(sparkGeometry([], 1, 80, 20)).toBeNull()
    expect(sparkGeometry([5], 1, 80, 20)).toBeNull()
  })
  it('spans the box, the reference line included', () => {
    const g = sparkGeometry([10, 20], 15, 80, 20)!
    expect(g.points).toBe('1.0,19.0 79.0,1.0')
    expect(g.refY).toBe('10.0')
    expect(sparkGeometry([10, 20], null, 80, 20)!.refY).toBeNull()
  })
  it('thins a long series to one point per pixel, keeping the last', () => {
    const values = Array.from({ length: 270 }, (_, i) => i)
    const g = sparkGeometry(values, null, 80, 20)!
    const pts = g.points.split(' ')
    expect(pts.length).toBe(80)
    expect(pts[pts.length - 1]).toBe('79.0,1.0')
  })
})
