// The market overview (/api/market/overview): types, the heatmap's squarified treemap and tile colours.
import type { ExchangeTime, IndexState } from '../../lib/model/types'

// An index as the overview sends it: the board's IndexState.
export type OverviewIndex = IndexState

export interface Breadth {
  advances: number
  declines: number
  no_changes: number
  ceilings: number
  floors: number
  advance_ratio: number | null
}

export interface HeatTile {
  symbol: string
  seen: boolean
  ref: number | null
  last: number | null
  ceiling: number | null
  floor: number | null
  traded: boolean
  change_pct: number | null
  volume: number
  value: number
  foreign_net_vol: number | null
  foreign_net_val: number | null
  contribution: number | null
  weight: number
}

export interface PtDeal {
  symbol: string
  time: ExchangeTime | null
  price: number
  volume: number
  value: number
}

export interface Overview {
  vn30: OverviewIndex | null
  vnindex: OverviewIndex | null
  breadth: { vnindex: Breadth | null; vn30: Breadth | null }
  contributions: {
    ready: boolean
    index_change: number | null
    sum_points: number
    residual: number | null
    rebuilt_index: number | null
    index_time: ExchangeTime | null
    prices_time: ExchangeTime | null
    unknown: number
    cap: number
    weights: string // where the weights come from, in words
  }
  tiles: HeatTile[]
  put_through: {
    symbols: { symbol: string; volume: number; value: number; deals: number; average_price: number | null }[]
    total_vol: number
    total_val: number
    deals: PtDeal[]
    index: { vn30: { qty: number; value: number } | null; vnindex: { qty: number; value: number } | null }
  }
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

// Squarified treemap (Bruls, Huizing, van Wijk): rectangles with areas proportional to `sizes` (in the given
// order, which should be largest first) filling `box`, as close to squares as the sizes allow. Zero or negative
// sizes get an empty rectangle.
export function treemap(sizes: number[], box: Rect): Rect[] {
  const out: Rect[] = sizes.map(() => ({ x: box.x, y: box.y, w: 0, h: 0 }))
  const idx = sizes.map((s, i) => [s, i] as const).filter(([s]) => s > 0 && Number.isFinite(s))
  const total = idx.reduce((a, [s]) => a + s, 0)
  if (total <= 0 || box.w <= 0 || box.h <= 0) return out
  const scale = (box.w * box.h) / total
  const items = idx.map(([s, i]) => [s * scale, i] as const)
  let { x, y, w, h } = box
  const worst = (row: number[], side: number): number => {
    const sum = row.reduce((a, b) => a + b, 0)
    const max = Math.max(...row)
    const min = Math.min(...row)
    return Math.max((side * side * max) / (sum * sum), (sum * sum) / (side * side * min))
  }
  let row: (readonly [number, number])[] = []
  const layRow = () => {
    const sum = row.reduce((a, [s]) => a + s, 0)
    if (w >= h) {
      // A column on the left, as wide as the row's area over the height.
      const cw = sum / h
      let yy = y
      for (const [s, i] of row) {
        const ch = s / cw
        out[i] = { x, y: yy, w: cw, h: ch }
        yy += ch
      }
      x += cw
      w -= cw
    } else {
      const rh = sum / w
      let xx = x
      for (const [s, i] of row) {
        const rw = s / rh
        out[i] = { x: xx, y, w: rw, h: rh }
        xx += rw
      }
      y += rh
      h -= rh
    }
    row = []
  }
  for (const it of items) {
    const side = Math.min(w, h)
    if (
      row.length === 0 ||
      worst([...row.map(([s]) => s), it[0]], side) <=
        worst(
          row.map(([s]) => s),
          side,
        )
    ) {
      row.push(it)
    } else {
      layRow()
      row.push(it)
    }
  }
  if (row.length) layRow()
  return out
}

export type HeatMode = 'change' | 'foreign'

// Tile colour: by % change from the reference (green up, red down, yellow unchanged, purple at the ceiling,
// cyan at the floor, the board's convention), or by foreign net value (green net buying, red net selling),
// intensity scaled to `scale` (the largest |net value| of the basket).
export function tileColor(t: HeatTile, mode: HeatMode, scale = 0): string {
  if (mode === 'foreign') {
    const v = t.foreign_net_val
    if (v === null || v === 0 || scale <= 0) return 'rgb(71, 85, 105)'
    const k = Math.min(1, Math.abs(v) / scale)
    return v > 0 ? mix([22, 101, 52], [34, 197, 94], k) : mix([127, 29, 29], [239, 68, 68], k)
  }
  if (t.last !== null && t.ceiling !== null && t.last >= t.ceiling) return 'rgb(192, 38, 211)'
  if (t.last !== null && t.floor !== null && t.last <= t.floor) return 'rgb(6, 182, 212)'
  const p = t.change_pct
  if (p === null || p === 0) return 'rgb(161, 98, 7)'
  const k = Math.min(1, Math.abs(p) / 5)
  return p > 0 ? mix([22, 101, 52], [34, 197, 94], k) : mix([127, 29, 29], [239, 68, 68], k)
}

function mix(a: number[], b: number[], k: number): string {
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * Math.sqrt(k)))
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}

// The contributions, largest gain first and largest loss last (tiles without one left out).
export function contributionRows(tiles: HeatTile[]): { symbol: string; points: number; weight: number }[] {
  return tiles
    .filter((t) => t.contribution !== null)
    .map((t) => ({ symbol: t.symbol, points: t.contribution as number, weight: t.weight }))
    .sort((a, b) => b.points - a.points || a.symbol.localeCompare(b.symbol))
}
