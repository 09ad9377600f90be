// Bars for the price charts (pure, unit-tested): today's 1-minute candles from memory, multi-day candles from
// the history store, or index values, turned into one shape and aggregated to a timeframe; VWAP and a moving
// average over them. Times are chart seconds: the exchange's local time written as UTC, so the axis shows
// Vietnamese time whatever the browser's zone.
import type { Candle } from './types'

export type Timeframe = '1m' | '5m' | '15m' | '1h' | '1d'
export const TIMEFRAMES: Timeframe[] = ['1m', '5m', '15m', '1h', '1d']
const TF_SEC: Record<Exclude<Timeframe, '1d'>, number> = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600 }

export interface Bar {
  time: number
  day: string // YYYY-MM-DD
  open: number
  high: number
  low: number
  close: number
  volume: number
  buy: number // active buy volume
  sell: number // active sell volume
  neutral: number
  value: number // VND
  trades: number
}

// A row of /api/history/{symbol}/candles: the one candle shape of the API.
export type HistoryCandle = Candle

// "2026-12-07T09:15:00+07:00" (the server's exchange instants; also without the offset, or with a space)
// -> chart seconds: the exchange's clock reading, whatever the offset says.
export function isoToChart(iso: string): number {
  const [d, t = '00:00:00'] = iso.split(/[T ]/)
  const [y, m, day] = d.split('-').map(Number)
  const [hh, mm, ss = 0] = t.slice(0, 8).split(':').map(Number)
  return Date.UTC(y, m - 1, day, hh, mm, ss) / 1000
}

export function chartToDay(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10)
}

// "09:15" of a chart time; "07/12" for a daily bar.
export function chartLabel(sec: number, daily: boolean): string {
  const iso = new Date(sec * 1000).toISOString()
  return daily ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : `${iso.slice(11, 16)}`
}

function bar(time: number, c: Omit<Candle, 'time' | 'closed'>): Bar | null {
  if (c.open === null || c.high === null || c.low === null || c.close === null) return null
  return {
    time,
    day: chartToDay(time),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
    buy: c.active_buy_vol,
    sell: c.active_sell_vol,
    neutral: c.neutral_vol,
    value: c.value,
    trades: c.trade_count,
  }
}

// Today's candles of GET /api/market/candles/{symbol}, in time order; minutes without a price are left out.
export function barsFromToday(candles: Candle[]): Bar[] {
  const out: Bar[] = []
  for (const c of candles) {
    const b = bar(isoToChart(c.time), c)
    if (b) out.push(b)
  }
  return out
}

export function barsFromHistory(rows: HistoryCandle[]): Bar[] {
  const out: Bar[] = []
  for (const c of rows) {
    const b = bar(isoToChart(c.time), c)
    if (b) out.push(b)
  }
  return out.sort((a, b) => a.time - b.time)
}

// Index values ([time, value], in time order) as bars of `tf`: open = first value, close = last; `qty` (the
// index's cumulative traded volume) gives each bar's volume, as neutral (an index has no aggressor side).
export function barsFromPoints(
  points: { time: string; value: number | null; total_qtty?: number }[],
  tf: Timeframe,
): Bar[] {
  const out: Bar[] = []
  let prevQty: number | null = null
  let prevDay = ''
  for (const p of points) {
    if (p.value === null || !Number.isFinite(p.value)) continue
    const t = isoToChart(p.time)
    const day = chartToDay(t)
    if (day !== prevDay) prevQty = null
    const vol = p.total_qtty !== undefined && prevQty !== null ? Math.max(0, p.total_qtty - prevQty) : 0
    if (p.total_qtty !== undefined) prevQty = p.total_qtty
    prevDay = day
    const bt = bucket(t, day, tf)
    const last = out[out.length - 1]
    if (last && last.time === bt) {
      last.high = Math.max(last.high, p.value)
      last.low = Math.min(last.low, p.value)
      last.close = p.value
      last.volume += vol
      last.neutral += vol
    } else {
      // A bar opens at the previous bar's close when that is the same day (a minute series has no opens).
      const open = last && last.day === day ? last.close : p.value
      out.push({
        time: bt,
        day,
        open,
        high: Math.max(open, p.value),
        low: Math.min(open, p.value),
        close: p.value,
        volume: vol,
        buy: 0,
        sell: 0,
        neutral: vol,
        value: 0,
        trades: 0,
      })
    }
  }
  return out
}

function bucket(t: number, day: string, tf: Timeframe): number {
  if (tf === '1d') return isoToChart(day)
  const s = TF_SEC[tf]
  return Math.floor(t / s) * s
}

// 1-minute (or any finer) bars to `tf`; bars never cross a trading day.
export function aggregate(bars: Bar[], tf: Timeframe): Bar[] {
  if (tf === '1m') return bars
  const out: Bar[] = []
  for (const b of bars) {
    const t = bucket(b.time, b.day, tf)
    const last = out[out.length - 1]
    if (last && last.time === t) {
      last.high = Math.max(last.high, b.high)
      last.low = Math.min(last.low, b.low)
      last.close = b.close
      last.volume += b.volume
      last.buy += b.buy
      last.sell += b.sell
      last.neutral += b.neutral
      last.value += b.value
      last.trades += b.trades
    } else {
      out.push({ ...b, time: t })
    }
  }
  return out
}

export interface LinePoint {
  time: number
  value: number
}

// The volume-weighted average price from each day's open: a stock's from traded value / volume (exact, as the
// board's average price), anything else (futures, whose value carries the contract multiplier; indices) from
// the bars' typical price (high + low + close) / 3.
export function vwapLine(bars: Bar[], exact: boolean): LinePoint[] {
  const out: LinePoint[] = []
  let day = ''
  let pv = 0
  let vol = 0
  for (const b of bars) {
    if (b.day !== day) {
      day = b.day
      pv = 0
      vol = 0
    }
    if (b.volume > 0) {
      // The bar's own average price when it is consistent (the live minute's value lags its volume).
      const avg = b.value / b.volume
      const own = exact && b.value > 0 && avg >= b.low * 0.999 && avg <= b.high * 1.001
      pv += own ? b.value : ((b.high + b.low + b.close) / 3) * b.volume
      vol += b.volume
    }
    if (vol > 0) out.push({ time: b.time, value: pv / vol })
  }
  return out
}

// Simple moving average of the closes over `n` bars.
export function smaLine(bars: Bar[], n: number): LinePoint[] {
  const out: LinePoint[] = []
  let sum = 0
  for (let i = 0; i < bars.length; i++) {
    sum += bars[i].close
    if (i >= n) sum -= bars[i - n].close
    if (i >= n - 1) out.push({ time: bars[i].time, value: sum / n })
  }
  return out
}

// The volume pane, stacked and never below zero: three histograms drawn over each other from the tallest:
// the whole bar (neutral on top, grey), active buy + active sell (sell in the middle, red), active buy (green).
export function volumeStacks(bars: Bar[]): { all: LinePoint[]; directed: LinePoint[]; buy: LinePoint[] } {
  const all: LinePoint[] = []
  const directed: LinePoint[] = []
  const buy: LinePoint[] = []
  for (const b of bars) {
    const split = b.buy + b.sell + b.neutral
    all.push({ time: b.time, value: Math.max(b.volume, split, 0) })
    directed.push({ time: b.time, value: Math.max(0, b.buy + b.sell) })
    buy.push({ time: b.time, value: Math.max(0, b.buy) })
  }
  return { all, directed, buy }
}

// YYYY-MM-DD plus n calendar days.
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
