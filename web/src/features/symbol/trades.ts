// Time & sales of one symbol: today's trades from GET /api/market/trades/{symbol} (newest first, paged back
// with before_seq) and live from /ws/trades?symbols=X (a snapshot of the latest, then deltas of the new
// ones, oldest first). The list is kept newest first, deduplicated by the trade's seq.
import { useEffect, useMemo, useRef, useState } from 'react'
import { api, ApiError } from '../../lib/transport/api'
import { ChannelClient, type LinkState } from '../../lib/transport/ws'
import type { ExchangeTime, SessionCode, WsMessage } from '../../lib/model/types'

export type Side = 'buy' | 'sell' | 'neutral'
export type Method = 'exchange' | 'quote' | 'tick' | 'auction' | 'put_through'

export interface Trade {
  seq: number
  symbol: string
  time: ExchangeTime
  price: number // VND for stocks, points for futures and indices
  volume: number
  value: number
  side: Side
  method: Method | string
  session: SessionCode | null // the trade's session, as the feed names it (LO = continuous)
  bid: number | null
  ask: number | null
  unattributed_vol?: number // volume from missed frames counted with this trade (neutral), when some
}

// GET /api/market/trades/{symbol}: `symbol` is the KRX code for a futures contract asked by alias.
export interface TradesPage {
  symbol: string
  trades: Trade[]
}

export const MAX_HELD = 5000

// The union of two trade lists, newest (highest seq) first, at most `max`.
export function mergeTrades(held: Trade[], incoming: Trade[], max = MAX_HELD): Trade[] {
  if (incoming.length === 0) return held
  const top = held.length ? held[0].seq : -Infinity
  // The live case: every incoming trade is newer than all held ones.
  if (incoming.every((t) => t.seq > top)) {
    const fresh = [...incoming].sort((a, b) => b.seq - a.seq)
    const uniq = fresh.filter((t, i) => i === 0 || fresh[i - 1].seq !== t.seq)
    return uniq.concat(held).slice(0, max)
  }
  const bySeq = new Map<number, Trade>()
  for (const t of held) bySeq.set(t.seq, t)
  for (const t of incoming) bySeq.set(t.seq, t)
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, max)
}

// Trades of at least `minVolume`.
export function bigTrades(list: Trade[], minVolume: number): Trade[] {
  return minVolume > 0 ? list.filter((t) => t.volume >= minVolume) : list
}

// Active buy / sell / neutral volume of a list.
export function sideTotals(list: Trade[]): Record<Side, number> {
  const out: Record<Side, number> = { buy: 0, sell: 0, neutral: 0 }
  for (const t of list) out[t.side in out ? t.side : 'neutral'] += t.volume
  return out
}

export function tradesPath(symbol: string, o: { limit?: number; beforeSeq?: number; minVolume?: number } = {}): string {
  const q = new URLSearchParams({ limit: String(o.limit ?? 200) })
  if (o.beforeSeq !== undefined) q.set('before_seq', String(o.beforeSeq))
  if (o.minVolume) q.set('min_volume', String(o.minVolume))
  return `/api/market/trades/${encodeURIComponent(symbol)}?${q}`
}

export type TradesStatus = 'loading' | 'live' | 'reconnecting' | 'unavailable'

export interface TradesView {
  trades: Trade[] // every trade held, newest first
  filtered: Trade[] // trades of at least minVolume (from the held ones and the server's filtered pages)
  status: TradesStatus
  error: string | null
  more: boolean // older trades may exist on the server
  loadOlder: () => void
  newestSeq: number | null
}

// The symbol's trades, live. `minVolume` > 0 also asks the server for its big trades, so the filtered list
// is not only the big ones among the last few hundred.
export function useTrades(symbol: string, minVolume: number): TradesView {
  const [trades, setTrades] = useState<Trade[]>([])
  const [big, setBig] = useState<Trade[]>([])
  const [status, setStatus] = useState<TradesStatus>('loading')
  const [error, setError] = useState<string | null>(null)
  const [more, setMore] = useState(false)
  const date = useRef<string | null>(null)
  const held = useRef<Trade[]>([])
  held.current = trades

  useEffect(() => {
    let alive = true
    setTrades([])
    setBig([])
    setStatus('loading')
    setError(null)
    date.current = null
    const refetch = () =>
      api<TradesPage>(tradesPath(symbol))
        .then((r) => {
          if (!alive) return
          setTrades((prev) => mergeTrades(prev, r.trades))
          setMore(r.trades.length >= 200)
        })
        .catch((e) => {
          if (!alive) return
          setError(e instanceof ApiError ? e.message : String(e?.message ?? e))
          if (e instanceof ApiError && e.status === 404) setStatus('unavailable')
        })
    void refetch()
    const apply = (m: WsMessage, snapshot: boolean) => {
      const list = (m.data?.trades ?? []) as Trade[]
      const d = m.trading_date ?? null
      if (snapshot && d && date.current && d !== date.current) {
        setTrades(mergeTrades([], list)) // a new trading day
      } else {
        setTrades((prev) => mergeTrades(prev, list))
      }
      if (d) date.current = d
    }
    const ch = new ChannelClient(`/ws/trades?symbols=${encodeURIComponent(symbol)}`, {
      onSnapshot: (m) => {
        apply(m, true)
        setStatus('live')
        setError(null)
      },
      onDelta: (m) => apply(m, false),
      onState: (s: LinkState) =>
        s === 'reconnecting' && setStatus((cur) => (cur === 'unavailable' ? cur : 'reconnecting')),
      onGap: () => void refetch(), // trades missed between two messages: the REST list fills them in
    })
    ch.start()
    return () => {
      alive = false
      ch.stop()
    }
  }, [symbol])

  useEffect(() => {
    setBig([])
    if (!minVolume) return
    let alive = true
    api<TradesPage>(tradesPath(symbol, { minVolume, limit: 500 }))
      .then((r) => alive && setBig(r.trades))
      .catch(() => undefined)
    return () => {
      alive = false
    }
  }, [symbol, minVolume])

  const loadOlder = () => {
    const cur = held.current
    if (!cur.length) return
    const before = cur[cur.length - 1].seq
    api<TradesPage>(tradesPath(symbol, { beforeSeq: before, limit: 500 }))
      .then((r) => {
        setTrades((prev) => mergeTrades(prev, r.trades, MAX_HELD * 4))
        setMore(r.trades.length >= 500)
      })
      .catch(() => undefined)
  }

  const filtered = useMemo(
    () => (minVolume > 0 ? mergeTrades(bigTrades(trades, minVolume), bigTrades(big, minVolume), MAX_HELD * 4) : trades),
    [trades, big, minVolume],
  )
  return { trades, filtered, status, error, more, loadOlder, newestSeq: trades[0]?.seq ?? null }
}
