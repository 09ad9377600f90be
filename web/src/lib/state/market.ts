// The client's market state, fed by the four WebSocket channels. Per-symbol stores: a delta notifies only
// the rows of the symbols it carries.
import { KeyedStore, ValueStore } from './store'
import { deepMerge, mergeFutures, mergeSeries, mergeSymbol } from './merge'
import { ChannelClient, type LinkState } from '../transport/ws'
import type {
  Alert,
  ExchangeTime,
  ForeignState,
  FuturesState,
  IndexState,
  SymbolState,
  WsMessage,
} from '../model/types'

export interface Meta {
  trading_date: string | null
  exchange_time: string | null
  session: string | null
}

// VN30 totals of /ws/foreign: the per-symbol figures summed (no room, no acceleration).
export type ForeignTotals = Pick<
  ForeignState,
  'buy_vol' | 'sell_vol' | 'net_vol' | 'buy_val' | 'sell_val' | 'net_val' | 'net_speed_vol' | 'net_speed_val'
>

export type ForeignRank = Pick<ForeignState, 'net_vol' | 'net_val'> & { symbol: string }

export interface ForeignOverview {
  vn30: ForeignTotals | null
  top_buyers: ForeignRank[]
  top_sellers: ForeignRank[]
}

// The data of each channel's snapshot (and of a `"full":true` delta). /ws/market deltas are patches of
// MarketData (lib/state/merge.ts); /ws/foreign and /ws/index deltas carry whole objects for what changed.
export interface MarketData {
  symbols: Record<string, SymbolState>
  indices: Record<string, IndexState>
  futures: FuturesState[]
}

export interface ForeignData {
  vn30: ForeignTotals | null
  top_buyers: ForeignRank[]
  top_sellers: ForeignRank[]
  symbols: Record<string, ForeignState>
}

export interface IndexData {
  indices: Record<string, { index: IndexState; series: [ExchangeTime, number][] }>
}

export const symbols = new KeyedStore<SymbolState>()
export const indices = new KeyedStore<IndexState>()
export const indexSeries = new KeyedStore<[string, number][]>()
export const foreignSymbols = new KeyedStore<ForeignState>()
export const futures = new ValueStore<FuturesState[]>([])
export const foreign = new ValueStore<ForeignOverview>({ vn30: null, top_buyers: [], top_sellers: [] })
export const alerts = new ValueStore<Alert[]>([]) // newest first
export const meta = new ValueStore<Meta>({ trading_date: null, exchange_time: null, session: null })
export const link = new ValueStore<LinkState>('connecting')

const MAX_ALERTS = 500

// Listeners called after each applied market message (charts use it for the live minute).
type MarketListener = (m: WsMessage) => void
const marketListeners = new Set<MarketListener>()
export function onMarketMessage(l: MarketListener): () => void {
  marketListeners.add(l)
  return () => marketListeners.delete(l)
}
const foreignListeners = new Set<MarketListener>()
export function onForeignMessage(l: MarketListener): () => void {
  foreignListeners.add(l)
  return () => foreignListeners.delete(l)
}
const alertListeners = new Set<(a: Alert) => void>()
export function onAlert(l: (a: Alert) => void): () => void {
  alertListeners.add(l)
  return () => alertListeners.delete(l)
}

// Board render timing: while the board is mounted each market message is measured from its arrival to
// the end of all the work it causes (performance.measure "vnt:board-update"): applying it to the stores,
// the store subscribers (the board's rows write their changed cells into the DOM synchronously inside the
// notification), the market listeners (sparklines), and React's synchronous commit of the components that
// still render per tick (index cards, header).
export const boardTiming = { active: false, rows: 0 }

function setMeta(m: WsMessage): void {
  if (m.exchange_time === undefined) return
  const cur = meta.get()
  if (cur.exchange_time === m.exchange_time && cur.session === m.session && cur.trading_date === m.trading_date) return
  meta.set({ trading_date: m.trading_date ?? null, exchange_time: m.exchange_time ?? null, session: m.session ?? null })
}

export function applyMarket(m: WsMessage, full: boolean): void {
  const d = m.data
  if (full) {
    symbols.clear()
    indices.clear()
  }
  const ups: [string, SymbolState][] = []
  for (const [k, v] of Object.entries<SymbolState>(d.symbols ?? {})) ups.push([k, mergeSymbol(symbols.get(k), v)])
  symbols.setMany(ups)
  indices.setMany(
    Object.entries<IndexState>(d.indices ?? {}).map(([k, v]): [string, IndexState] => {
      const prev = indices.get(k)
      return [k, prev ? deepMerge(prev, v) : v]
    }),
  )
  if (d.futures) futures.set(full ? d.futures : mergeFutures(futures.get(), d.futures))
  setMeta(m)
}

export function applyForeign(m: WsMessage, full: boolean): void {
  const d = m.data
  if (full) foreignSymbols.clear()
  foreignSymbols.setMany(Object.entries<ForeignState>(d.symbols ?? {}))
  foreign.set({ vn30: d.vn30 ?? null, top_buyers: d.top_buyers ?? [], top_sellers: d.top_sellers ?? [] })
  setMeta(m)
}

export function applyIndex(m: WsMessage, full: boolean): void {
  const ups: [string, [string, number][]][] = []
  for (const [k, v] of Object.entries<IndexData['indices'][string]>(m.data.indices ?? {})) {
    ups.push([k, full ? v.series : mergeSeries(indexSeries.get(k) ?? [], v.series)])
  }
  if (full) indexSeries.clear()
  indexSeries.setMany(ups)
}

export function applyAlerts(m: WsMessage): void {
  if (m.type === 'snapshot') {
    alerts.set([...(m.data.alerts as Alert[])].reverse().slice(0, MAX_ALERTS))
    return
  }
  const a = m.data as Alert
  alerts.set([a, ...alerts.get()].slice(0, MAX_ALERTS))
  alertListeners.forEach((l) => l(a))
}

function measured(m: WsMessage, full: boolean): void {
  if (!boardTiming.active) {
    applyMarket(m, full)
  } else {
    const start = performance.now()
    applyMarket(m, full)
    marketListeners.forEach((l) => l(m))
    const applied = performance.now()
    const rows = Object.keys(m.data.symbols ?? {}).length
    // The rows' DOM writes are done by now (store subscribers run synchronously); React flushes its
    // synchronous store updates in a microtask queued during applyMarket: this one runs after.
    queueMicrotask(() => {
      const end = performance.now()
      performance.measure('vnt:board-update', { start, end, detail: { rows, full, apply: applied - start } })
    })
    return
  }
  marketListeners.forEach((l) => l(m))
}

export const channels: ChannelClient[] = []

function updateLink(): void {
  const states = channels.map((c) => c.state)
  link.set(
    states.every((s) => s === 'live')
      ? 'live'
      : states.some((s) => s === 'reconnecting')
        ? 'reconnecting'
        : 'connecting',
  )
}

let started = false
export function startMarket(): void {
  if (started) return
  started = true
  const mk = (path: string, snap: (m: WsMessage) => void, delta: (m: WsMessage) => void) =>
    channels.push(new ChannelClient(path, { onSnapshot: snap, onDelta: delta, onState: updateLink }))
  mk(
    '/ws/market',
    (m) => measured(m, true),
    (m) => measured(m, m.full === true),
  )
  mk(
    '/ws/index',
    (m) => applyIndex(m, true),
    (m) => applyIndex(m, m.full === true),
  )
  mk(
    '/ws/foreign',
    (m) => {
      applyForeign(m, true)
      foreignListeners.forEach((l) => l(m))
    },
    (m) => {
      applyForeign(m, m.full === true)
      foreignListeners.forEach((l) => l(m))
    },
  )
  mk('/ws/alerts', applyAlerts, applyAlerts)
  channels.forEach((c) => c.start())
}

// Seconds since the market channel last spoke.
export function marketSilenceSec(): number {
  const c = channels[0]
  return c && c.lastMessageAt ? (Date.now() - c.lastMessageAt) / 1000 : Infinity
}
