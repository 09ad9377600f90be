import { describe, expect, it } from 'vitest'
import { applyForeign, applyMarket } from '../state/market'
import { instrumentKind, liveMetric } from './instruments'
import type { WsMessage } from './types'

const snap = (channel: string, data: unknown): WsMessage => ({ type: 'snapshot', channel, seq: 1, data })

describe('instruments from the live stores', () => {
  applyMarket(
    snap('market', {
      symbols: { FPT: { symbol: 'FPT', kind: 'vn30', last_price: 105500, active_buy_ratio: 0.625, total_vol: 52300 } },
      indices: { VN30: { id: 'VN30', value: 1312.45, change_pct: 0.42, advances: 18, declines: 9 } },
      futures: [
        { symbol: 'VN30F2412', krx_code: '41I1G1000', alias: 'VN30F1M', last: 1315.6, basis: 3.15, volume: 1200 },
      ],
    }),
    true,
  )
  applyForeign(snap('foreign', { symbols: { FPT: { net_val: -1.19e9, room_used_pct: 48.5 } } }), true)

  it('tells stocks, futures (code, KRX code, alias) and indices apart', () => {
    expect(instrumentKind('fpt')).toBe('stock')
    expect(instrumentKind('VN30F1M')).toBe('futures')
    expect(instrumentKind('41I1G1000')).toBe('futures')
    expect(instrumentKind('VN30')).toBe('index')
    expect(instrumentKind('HNX30')).toBe('index')
    expect(instrumentKind('*')).toBe('all')
  })
  it('reads the current value in API units', () => {
    expect(liveMetric('last_price', 'FPT')).toBe(105500)
    expect(liveMetric('active_buy_ratio', 'FPT')).toBe(62.5)
    expect(liveMetric('foreign_net_val', 'FPT')).toBe(-1.19e9)
    expect(liveMetric('active_buy_ratio_5m', 'FPT')).toBeNull() // not in the live data
    expect(liveMetric('basis', 'vn30f1m')).toBe(3.15)
    expect(liveMetric('total_vol', 'VN30F2412')).toBe(1200)
    expect(liveMetric('index_value', 'VN30')).toBe(1312.45)
    expect(liveMetric('last_price', 'XYZ')).toBeUndefined() // ask the server
  })
})
