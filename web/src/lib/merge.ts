// Applying snapshots and deltas to the client's state (pure functions, unit-tested).
import type { SymbolState } from './types'

// A delta carries the whole symbol except `sessions`, which holds only the buckets that traded since the
// last message: merge those into the buckets held.
export function mergeSymbol(prev: SymbolState | undefined, next: SymbolState): SymbolState {
  if (!prev) return next
  return { ...next, sessions: { ...prev.sessions, ...next.sessions } }
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
