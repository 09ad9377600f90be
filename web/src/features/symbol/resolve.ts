// What a /symbol/{name} page shows: a stock, a futures contract (code, KRX code or alias) or an index, and
// the id the REST API takes for it (a contract's KRX code: the market endpoints key futures by it).
import { findFutures, instrumentKind } from '../../lib/model/instruments'
import type { FuturesState } from '../../lib/model/types'

export type InstKind = 'stock' | 'futures' | 'index'

export interface Instrument {
  name: string // as in the URL, upper-case
  kind: InstKind
  apiId: string
  contract?: FuturesState
}

export function resolveInstrument(name: string): Instrument {
  const u = name.trim().toUpperCase()
  const k = instrumentKind(u)
  if (k === 'futures') {
    const f = findFutures(u)
    return { name: u, kind: 'futures', apiId: f?.krx_code ?? u, contract: f }
  }
  if (k === 'index') return { name: u, kind: 'index', apiId: u }
  return { name: u, kind: 'stock', apiId: u }
}

// A price of the instrument as the board writes it: stocks in thousands of VND, points otherwise.
export function priceDigits(kind: InstKind): number {
  return kind === 'futures' ? 1 : 2
}
