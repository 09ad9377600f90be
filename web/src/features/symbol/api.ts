// Multi-day history from the store, shaped for the symbol page: a stock's foreign flow by day
// (GET /api/history/{symbol}/foreign/daily: the day's last foreign snapshot, so buy/sell/net are the day's totals)
// and a futures contract's basis over several days (GET /api/history/derivatives/{contract}: up to one row per
// second, oldest first, at most `limit` rows a request, so the range is read page by page and folded as it
// arrives into one point per minute and a summary per day). With --db none both answer 503 store_unavailable.
import { ApiError } from '../../lib/transport/api'
import type { ExchangeTime } from '../../lib/model/types'

export interface ForeignDay {
  symbol: string
  time: ExchangeTime
  buy_vol: number
  sell_vol: number
  net_vol: number
  buy_val: number
  sell_val: number
  net_val: number
  total_room: number | null
  current_room: number | null
  net_speed_vol: number
  net_speed_val: number
  net_accel_vol: number
  net_accel_val: number
}

export interface ForeignDayRow extends ForeignDay {
  date: string
  cum_net_val: number // the net value summed from the range's first day to this one
}

// Days oldest first, each with the running sum of the net value.
export function foreignDays(rows: readonly ForeignDay[]): ForeignDayRow[] {
  let cum = 0
  return [...rows]
    .sort((a, b) => a.time.localeCompare(b.time))
    .map((r) => {
      cum += r.net_val
      return { ...r, date: r.time.slice(0, 10), cum_net_val: cum }
    })
}

// A row of GET /api/history/index/{name}: the index as stored once per frame.
export interface IndexHistoryRow {
  index: string
  time: ExchangeTime
  value: number | null
  change: number
  change_pct: number
  advances: number
  declines: number
  no_changes: number
  ceilings: number
  floors: number
  total_qtty: number
  total_value: number
  total_qtty_pt: number
  total_value_pt: number
  all_qty: number
  all_value: number
}

export interface BasisRow {
  contract: string
  krx_code: string
  time: ExchangeTime
  price: number
  spot: number
  basis: number
  basis_pct: number
  fair_basis: number
  volume: number
}

export interface BasisPoint {
  time: string // "YYYY-MM-DDTHH:MM", the minute's last row
  basis: number
  fair_basis: number
}

export interface BasisDay {
  date: string
  open: number // the day's first basis
  close: number // its last
  min: number
  max: number
  close_pct: number
  fair_close: number
  price_close: number
  spot_close: number
  rows: number
}

// Folds basis rows (oldest first, page after page) into a point per minute and a summary per day.
export class BasisFold {
  private readonly mins = new Map<string, BasisPoint>()
  private readonly byDay = new Map<string, BasisDay>()
  rows = 0

  add(rows: readonly BasisRow[]): void {
    for (const r of rows) {
      if (!Number.isFinite(r.basis)) continue
      this.rows++
      this.mins.set(r.time.slice(0, 16), { time: r.time.slice(0, 16), basis: r.basis, fair_basis: r.fair_basis })
      const date = r.time.slice(0, 10)
      const d = this.byDay.get(date)
      if (!d) {
        this.byDay.set(date, {
          date,
          open: r.basis,
          close: r.basis,
          min: r.basis,
          max: r.basis,
          close_pct: r.basis_pct,
          fair_close: r.fair_basis,
          price_close: r.price,
          spot_close: r.spot,
          rows: 1,
        })
      } else {
        d.close = r.basis
        d.min = Math.min(d.min, r.basis)
        d.max = Math.max(d.max, r.basis)
        d.close_pct = r.basis_pct
        d.fair_close = r.fair_basis
        d.price_close = r.price
        d.spot_close = r.spot
        d.rows++
      }
    }
  }

  points(): BasisPoint[] {
    return [...this.mins.values()].sort((a, b) => a.time.localeCompare(b.time))
  }

  days(): BasisDay[] {
    return [...this.byDay.values()].sort((a, b) => a.date.localeCompare(b.date))
  }
}

// "2026-12-07T09:15:59" + 1 s -> "2026-12-07T09:16:00" (the next page starts after the last row's second).
export function nextSecond(time: string): string {
  const d = new Date(`${time.slice(0, 19)}Z`)
  d.setUTCSeconds(d.getUTCSeconds() + 1)
  return d.toISOString().slice(0, 19)
}

export const BASIS_PAGE = 10000

// Reads a contract's basis from `from` to `to` (dates) page by page; stops after `maxPages` (truncated).
export async function loadBasisHistory(
  contract: string,
  from: string,
  to: string,
  get: (path: string) => Promise<BasisRow[]>,
  opts: { page?: number; maxPages?: number; alive?: () => boolean } = {},
): Promise<{ fold: BasisFold; truncated: boolean }> {
  const page = opts.page ?? BASIS_PAGE
  const maxPages = opts.maxPages ?? 20
  const fold = new BasisFold()
  let start = from
  for (let i = 0; i < maxPages; i++) {
    if (opts.alive && !opts.alive()) break
    const q = new URLSearchParams({ from: start, to, limit: String(page) })
    const rows = await get(`/api/history/derivatives/${encodeURIComponent(contract)}?${q}`)
    fold.add(rows)
    if (rows.length < page) return { fold, truncated: false }
    start = nextSecond(rows[rows.length - 1].time)
  }
  return { fold, truncated: true }
}

// What a failed history request means to the user: no store (503 store_unavailable) or an error.
export function historyFailure(e: unknown): 'unavailable' | 'error' {
  return e instanceof ApiError && e.status === 503 ? 'unavailable' : 'error'
}
