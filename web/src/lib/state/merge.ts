// Applying snapshots and deltas to the client's state (pure functions, unit-tested).
import type { FuturesState, SymbolState } from '../model/types'

// /ws/market deltas are field-level patches: objects (a symbol, its "sessions", "foreign") carry only the
// members that changed, and everything else (numbers, strings, the book's arrays) is replaced whole.
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
export function deepMerge<T>(prev: T, patch: unknown): T {
  if (!isObject(prev) || !isObject(patch)) return patch as T
  const out: Record<string, unknown> = { ...prev }
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k], v) : v
  return out as T
}

export function mergeSymbol(prev: SymbolState | undefined, patch: SymbolState): SymbolState {
  return prev ? deepMerge(prev, patch) : patch
}

// Futures patches name their contract with "symbol"; a contract not held yet arrives whole.
export function mergeFutures(prev: FuturesState[], patches: Partial<FuturesState>[]): FuturesState[] {
  const out = prev.slice()
  for (const p of patches) {
    const i = out.findIndex((f) => f.symbol === p.symbol)
    if (i >= 0) out[i] = deepMerge(out[i], p)
    else out.push(p as FuturesState)
  }
  return out
}

// An index delta carries the latest point(s) of the series: replace the point of the same minute or append.
export function mergeSeries(prev: [string, number][], next: [string, number][]): [string, number][] {
  if (next.length === 0) return prev
  const out = prev.slice()
  for (const p of next) {
    const last = out[out.length - 1]
    if (last && last[0] === p[0]) out[out.length - 1] = p
    else if (!last || last[0] < p[0]) out.push(p)
  }
  return out
}

// Adds or replaces the point of minute `t` ("HH:MM") at the end of a minute series.
export function upsertPoint<T extends { time: string }>(series: T[], point: T): T[] {
  const last = series[series.length - 1]
  if (last && last.time === point.time) return [...series.slice(0, -1), point]
  if (last && last.time > point.time) return series
  return [...series, point]
}
