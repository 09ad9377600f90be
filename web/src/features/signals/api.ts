// The signals page's REST calls: the alert feed (paged), the alert rules (list, create, update, delete) and
// a symbol the live stores do not hold (for a rule's current value).
import { api } from '../../lib/transport/api'
import type { Alert, AlertRule, SymbolState } from '../../lib/model/types'

// One page of the feed; `query` is the path with its filter (feed.ts feedQuery).
export const fetchAlertPage = (query: string) => api<Alert[]>(query)

export const fetchRules = () => api<AlertRule[]>('/api/alerts/rules')

// A new rule (id null) or a rule replaced as a whole.
export const saveRule = (id: number | null, rule: Omit<AlertRule, 'id'>) =>
  id === null
    ? api('/api/alerts/rules', { method: 'POST', body: JSON.stringify(rule) })
    : api(`/api/alerts/rules/${id}`, { method: 'PUT', body: JSON.stringify(rule) })

export const deleteRule = (id: number) => api(`/api/alerts/rules/${id}`, { method: 'DELETE' })

export const fetchSymbol = (sym: string) => api<SymbolState>(`/api/market/symbol/${encodeURIComponent(sym)}`)
