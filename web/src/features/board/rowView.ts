// A board row drawn without React: React renders the row's cells once (empty <td>s and an <svg>), and a
// RowView, subscribed to the symbol's store and its sparkline, writes into them on each update only what
// changed: a cell's text when its value (or formatter) changed, its class when its colour changed, and the
// flash (an attribute flip that restarts a CSS animation). The writes happen synchronously inside the store
// notification, so applying a delta and all the DOM work it causes are one stretch of JavaScript.
import { fmtBn1, fmtInt, fmtPct, fmtPrice, fmtRatio, fmtSigned } from '../../lib/ui/format'
import { priceTone, toneClass, toneHex, type Tone } from '../../lib/ui/colors'
import { sparkGeometry } from '../../lib/ui/spark'
import type { Level, SymbolState } from '../../lib/model/types'

type V = number | null | undefined
export type Fmt = (v: V) => string

const blankIfNone =
  (fmt: Fmt): Fmt =>
  (v) =>
    v === undefined ? '' : fmt(v)
// Price 0 with a volume is an auction market order (ATO/ATC).
export const fmtLevelVol = blankIfNone(fmtInt)
export const fmtLevelPrice = blankIfNone((v) => (v === 0 ? 'ATO' : fmtPrice(v)))
export const fmtLevelPriceAtc = blankIfNone((v) => (v === 0 ? 'ATC' : fmtPrice(v)))
export const fmtChange: Fmt = (v) => (v === null || v === undefined ? '–' : fmtSigned(v / 1000))
export const fmtPct2: Fmt = (v) => fmtPct(v)
// Traded value in billions of VND (the column's header names the unit: tỷ / bn), one decimal: 1523.4.
export const fmtValueBn: Fmt = (v) => fmtBn1(v)

// The cells after the watch star, in column order: symbol, ref, ceiling, floor, bid 3..1 (price, volume),
// last price, last volume, change, change %, ask 1..3, total volume, traded value (billions of VND), average
// price (the day's VWAP), high, low, foreign buy, sell, room, active-buy %. The sparkline's cell follows.
export const ROW_CELLS = 29
const BID_AT = 4
const MATCHED_AT = 10
const ASK_AT = 14
const REST_AT = 20
const BID_ORDER = [2, 1, 0]
const ASK_ORDER = [0, 1, 2]
export const SPARK_W = 80
export const SPARK_H = 20

// Class names per tone, made once (written out in full so Tailwind sees them).
const TONES: Tone[] = ['up', 'down', 'ref', 'ceil', 'floor', 'none']
const byTone = (f: (tc: string) => string) =>
  Object.fromEntries(TONES.map((t) => [t, f(toneClass[t])])) as Record<Tone, string>
const SYMBOL_CLS = byTone((tc) => `font-semibold ${tc}`)
const BID_CLS = byTone((tc) => `num text-right ${tc} bg-emerald-950/20`)
const ASK_CLS = byTone((tc) => `num text-right ${tc} bg-rose-950/20`)
const LAST_CLS = byTone((tc) => `num text-right ${tc} font-semibold bg-slate-800/40`)
// The auction's indicative price in the last-price cell (ATO/ATC, before the match): italic, underlined.
const INDICATIVE_CLS = byTone((tc) => `num text-right ${tc} font-semibold bg-slate-800/40 indicative`)
const MATCHED_CLS = byTone((tc) => `num text-right ${tc} bg-slate-800/40`)
const HIGHLOW_CLS = byTone((tc) => `num text-right ${tc}`)
const REF_CLS = 'num text-right text-ref'
const CEIL_CLS = 'num text-right text-ceil'
const FLOOR_CLS = 'num text-right text-floor'
const TOTAL_CLS = 'num text-right text-slate-200'
const VALUE_CLS = 'num text-right text-slate-300'
const FOREIGN_CLS = 'num text-right text-slate-300'
const ROOM_CLS = 'num text-right text-slate-400'
const ABR_UP_CLS = 'num text-right text-up'
const ABR_DOWN_CLS = 'num text-right text-down'
const ABR_NONE_CLS = 'num text-right'

export function activeBuyClass(r: number | null | undefined): string {
  return r === null || r === undefined ? ABR_NONE_CLS : r >= 0.5 ? ABR_UP_CLS : ABR_DOWN_CLS
}

const UNSET = Symbol('unset')

// One cell: remembers what it shows and writes only differences. A changed value flashes the cell (when the
// cell flashes at all), except the first value and a value appearing where there was none (an empty level).
export class CellWriter {
  private v: V | typeof UNSET = UNSET
  private f: Fmt | null = null
  private text: string
  private cls: string | null = null
  private flip = false
  private readonly node: Text

  constructor(
    private readonly el: HTMLElement,
    private readonly flashes: boolean,
    private readonly stats: { writes: number },
  ) {
    const first = el.firstChild
    this.node = first && first.nodeType === 3 ? (first as Text) : el.appendChild(el.ownerDocument.createTextNode(''))
    this.text = this.node.data
  }

  setClass(cls: string): void {
    if (cls === this.cls) return
    this.cls = cls
    this.el.className = cls
    this.stats.writes++
  }

  setText(text: string): void {
    if (text === this.text) return
    this.text = text
    this.node.data = text
    this.stats.writes++
  }

  set(v: V, f: Fmt, cls: string): void {
    this.setClass(cls)
    if (v === this.v && f === this.f) return
    const prev = this.v
    this.v = v
    this.f = f
    this.setText(f(v))
    if (this.flashes && prev !== UNSET && prev !== undefined && prev !== v) {
      this.flip = !this.flip
      this.el.setAttribute('data-flash', this.flip ? 'a' : 'b')
      this.stats.writes++
    }
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg'

export class RowView {
  // DOM writes made so far (for tests and profiling).
  readonly stats = { writes: 0 }
  private readonly cells: CellWriter[]
  private s: SymbolState | undefined
  private sparkValues: readonly number[] | undefined
  private sparkRef: number | null | undefined
  private sparkColor: string | undefined
  private sparkPoints: string | null = null
  private sparkRefY: string | null = null
  private line: SVGLineElement | null = null
  private poly: SVGPolylineElement | null = null

  // `tds`: the row's ROW_CELLS cells after the star; `svg`: the sparkline's (emptied here).
  constructor(
    sym: string,
    tds: ArrayLike<HTMLElement>,
    private readonly svg: SVGSVGElement,
  ) {
    if (tds.length !== ROW_CELLS) throw new Error(`RowView: ${tds.length} cells, expected ${ROW_CELLS}`)
    this.cells = Array.from(tds, (td, i) => new CellWriter(td, i >= BID_AT, this.stats))
    this.cells[0].setText(sym)
    svg.replaceChildren()
  }

  // Draws the symbol's state and sparkline; cheap when neither changed (an identity comparison each).
  update(s: SymbolState | undefined, spark: readonly number[] | undefined): void {
    if (!s) return // cleared for a new day's snapshot: the new state follows in the same flush
    const tone = priceTone(s.last_price, s.ref_price, s.ceiling, s.floor)
    if (s !== this.s) {
      this.s = s
      this.draw(s, tone)
    }
    this.drawSpark(spark, s.ref_price, toneHex[tone])
  }

  private draw(s: SymbolState, tone: Tone): void {
    const c = this.cells
    c[0].setClass(SYMBOL_CLS[tone])
    c[1].set(s.ref_price, fmtPrice, REF_CLS)
    c[2].set(s.ceiling, fmtPrice, CEIL_CLS)
    c[3].set(s.floor, fmtPrice, FLOOR_CLS)
    const fp = s.session === 'ATC' ? fmtLevelPriceAtc : fmtLevelPrice
    this.levels(s, s.bid, BID_ORDER, BID_AT, BID_CLS, fp)
    const ind = s.indicative_price && (s.session === 'ATO' || s.session === 'ATC') ? s.indicative_price : null
    if (ind !== null && s.ref_price) {
      // During an auction: the price the auction would match at now, and its change from the reference.
      const it = priceTone(ind, s.ref_price, s.ceiling, s.floor)
      c[MATCHED_AT].set(ind, fmtPrice, INDICATIVE_CLS[it])
      c[MATCHED_AT + 1].set(s.last_vol, fmtInt, MATCHED_CLS[it])
      c[MATCHED_AT + 2].set(ind - s.ref_price, fmtChange, MATCHED_CLS[it])
      c[MATCHED_AT + 3].set(((ind - s.ref_price) / s.ref_price) * 100, fmtPct2, MATCHED_CLS[it])
    } else {
      c[MATCHED_AT].set(s.last_price, fmtPrice, LAST_CLS[tone])
      c[MATCHED_AT + 1].set(s.last_vol, fmtInt, MATCHED_CLS[tone])
      c[MATCHED_AT + 2].set(s.change, fmtChange, MATCHED_CLS[tone])
      c[MATCHED_AT + 3].set(s.change_pct, fmtPct2, MATCHED_CLS[tone])
    }
    this.levels(s, s.ask, ASK_ORDER, ASK_AT, ASK_CLS, fp)
    c[REST_AT].set(s.total_vol, fmtInt, TOTAL_CLS)
    c[REST_AT + 1].set(s.total_val, fmtValueBn, VALUE_CLS)
    c[REST_AT + 2].set(s.vwap, fmtPrice, HIGHLOW_CLS[priceTone(s.vwap, s.ref_price, s.ceiling, s.floor)])
    c[REST_AT + 3].set(s.high, fmtPrice, HIGHLOW_CLS[priceTone(s.high, s.ref_price, s.ceiling, s.floor)])
    c[REST_AT + 4].set(s.low, fmtPrice, HIGHLOW_CLS[priceTone(s.low, s.ref_price, s.ceiling, s.floor)])
    const f = s.foreign
    // Foreign volumes and the remaining room in one unit, shares, grouped like the total volume.
    c[REST_AT + 5].set(f?.buy_vol, fmtInt, FOREIGN_CLS)
    c[REST_AT + 6].set(f?.sell_vol, fmtInt, FOREIGN_CLS)
    c[REST_AT + 7].set(f?.current_room, fmtInt, ROOM_CLS)
    c[REST_AT + 8].set(s.active_buy_ratio, fmtRatio, activeBuyClass(s.active_buy_ratio))
  }

  // Book levels: price and volume, coloured against the day's reference, ceiling and floor.
  private levels(
    s: SymbolState,
    book: Level[] | undefined,
    order: number[],
    at: number,
    cls: Record<Tone, string>,
    fp: Fmt,
  ) {
    for (let j = 0; j < 3; j++) {
      const lv = book?.[order[j]]
      const price = lv?.[0]
      const k = cls[priceTone(price, s.ref_price, s.ceiling, s.floor)]
      this.cells[at + 2 * j].set(price, fp, k)
      this.cells[at + 2 * j + 1].set(lv?.[1], fmtLevelVol, k)
    }
  }

  private drawSpark(values: readonly number[] | undefined, ref: number | null | undefined, color: string): void {
    if (values === this.sparkValues && ref === this.sparkRef && color === this.sparkColor) return
    this.sparkValues = values
    this.sparkRef = ref
    const g = sparkGeometry(values ?? [], ref, SPARK_W, SPARK_H)
    const doc = this.svg.ownerDocument
    if (!g) {
      if (this.poly || this.line) this.svg.replaceChildren()
      this.poly = this.line = null
      this.sparkPoints = this.sparkRefY = null
      this.sparkColor = undefined
      return
    }
    if (!this.poly) {
      this.poly = doc.createElementNS(SVG_NS, 'polyline')
      this.poly.setAttribute('fill', 'none')
      this.poly.setAttribute('stroke-width', '1.2')
      this.svg.appendChild(this.poly)
      this.sparkPoints = null
      this.sparkColor = undefined
    }
    if (g.points !== this.sparkPoints) {
      this.sparkPoints = g.points
      this.poly.setAttribute('points', g.points)
      this.stats.writes++
    }
    if (color !== this.sparkColor) {
      this.sparkColor = color
      this.poly.setAttribute('stroke', color)
      this.stats.writes++
    }
    if (g.refY === null) {
      this.line?.remove()
      this.line = null
      this.sparkRefY = null
    } else {
      if (!this.line) {
        this.line = doc.createElementNS(SVG_NS, 'line')
        this.line.setAttribute('x1', '0')
        this.line.setAttribute('x2', String(SPARK_W))
        this.line.setAttribute('stroke', '#eab308')
        this.line.setAttribute('stroke-opacity', '0.5')
        this.line.setAttribute('stroke-dasharray', '2 2')
        this.svg.insertBefore(this.line, this.poly)
        this.sparkRefY = null
      }
      if (g.refY !== this.sparkRefY) {
        this.sparkRefY = g.refY
        this.line.setAttribute('y1', g.refY)
        this.line.setAttribute('y2', g.refY)
        this.stats.writes++
      }
    }
  }
}
