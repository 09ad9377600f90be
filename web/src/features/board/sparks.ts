// Minute closes per symbol for the board's sparklines: loaded from the server (survives a reload), then
// the current minute follows the live last price.
import { api } from '../../lib/transport/api'
import { minuteOf } from '../../lib/ui/format'
import { KeyedStore } from '../../lib/state/store'
import type { ExchangeTime, SymbolState } from '../../lib/model/types'

export interface Spark {
  t: string[]
  c: number[]
}

// GET /api/market/sparklines: every stock's minute closes today, [exchange time, close] (the minute's start,
// "YYYY-MM-DDTHH:MM:SS+07:00"); a spark keeps the minute as "HH:MM".
export interface Sparklines {
  symbols: Record<string, [ExchangeTime, number][]>
}

export const sparks = new KeyedStore<Spark>()

export async function loadSparks(): Promise<void> {
  const r = await api<Sparklines>('/api/market/sparklines')
  sparks.setMany(
    Object.entries(r.symbols).map(([k, pts]) => [k, { t: pts.map((p) => minuteOf(p[0])), c: pts.map((p) => p[1]) }]),
  )
}

// Folds a live symbol update into its sparkline (same minute: replace the close; later minute: append).
export function foldSpark(prev: Spark | undefined, s: SymbolState): Spark | undefined {
  if (!s.last_price || !s.time) return prev
  const minute = minuteOf(s.time)
  if (!prev) return { t: [minute], c: [s.last_price] }
  const n = prev.t.length
  if (n && prev.t[n - 1] === minute) {
    if (prev.c[n - 1] === s.last_price) return prev
    return { t: prev.t, c: [...prev.c.slice(0, -1), s.last_price] }
  }
  if (n && prev.t[n - 1] > minute) return prev
  return { t: [...prev.t, minute], c: [...prev.c, s.last_price] }
}
