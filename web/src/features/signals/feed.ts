// The Signals feed's model, pure: filters as the REST query and as a test on live alerts, and pages merged by id.
import type { Alert } from '../../lib/model/types'

export interface FeedFilter {
  type: string // '' = every type
  severity: string // exact; '' = every severity
  symbol: string // upper-case; a futures alias or code matches the contract's alerts
  krx?: string // the KRX code the symbol resolves to (alerts of futures carry it as their symbol)
}

export const PAGE_SIZE = 100

// GET /api/market/alerts for one page of today's alerts, newest first, older than `beforeId` when given.
export function feedQuery(f: FeedFilter, beforeId?: number): string {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) })
  if (beforeId !== undefined) q.set('before_id', String(beforeId))
  if (f.type) q.set('type', f.type)
  if (f.severity) q.set('severity', f.severity)
  if (f.symbol) q.set('symbol', f.krx ?? f.symbol)
  return `/api/market/alerts?${q}`
}

export function matchesFilter(a: Alert, f: FeedFilter): boolean {
  if (f.type && a.type !== f.type) return false
  if (f.severity && a.severity !== f.severity) return false
  if (!f.symbol) return true
  return [a.symbol, a.alias, a.contract].some((s) => s === f.symbol || (f.krx !== undefined && s === f.krx))
}

// Union of two lists by id, newest (highest id) first.
export function mergeAlerts(a: Alert[], b: Alert[]): Alert[] {
  const byId = new Map<number, Alert>()
  for (const x of a) byId.set(x.id, x)
  for (const x of b) if (!byId.has(x.id)) byId.set(x.id, x)
  return [...byId.values()].sort((x, y) => y.id - x.id)
}
