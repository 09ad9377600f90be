// Board sorting: a stable order of symbols by a column, nulls last in both directions.
import type { SymbolState } from '../../lib/model/types'

export type SortKey =
  | 'symbol'
  | 'last_price'
  | 'change'
  | 'change_pct'
  | 'total_vol'
  | 'total_val'
  | 'vwap'
  | 'high'
  | 'low'
  | 'active_buy_ratio'
  | 'foreign_net'
  | 'room_used'
  | 'room'

export interface SortSpec {
  key: SortKey
  dir: 'asc' | 'desc'
}

export function sortValue(s: SymbolState, key: SortKey): number | string | null {
  switch (key) {
    case 'symbol':
      return s.symbol
    case 'foreign_net':
      return s.foreign ? s.foreign.net_val : null
    case 'room_used':
      return s.foreign?.room_used_pct ?? null
    case 'room':
      return s.foreign?.current_room ?? null
    default:
      return (s[key] as number | null) ?? null
  }
}

export function sortSymbols(rows: SymbolState[], spec: SortSpec): string[] {
  const sign = spec.dir === 'asc' ? 1 : -1
  return rows
    .map((s, i) => ({ s, i, v: sortValue(s, spec.key) }))
    .sort((a, b) => {
      if (a.v === null && b.v === null) return a.i - b.i
      if (a.v === null) return 1
      if (b.v === null) return -1
      const c = typeof a.v === 'string' ? a.v.localeCompare(b.v as string) : (a.v as number) - (b.v as number)
      return c !== 0 ? sign * c : a.s.symbol.localeCompare(b.s.symbol)
    })
    .map((x) => x.s.symbol)
}
