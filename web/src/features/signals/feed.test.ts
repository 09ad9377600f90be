import { describe, expect, it } from 'vitest'
import { feedQuery, matchesFilter, mergeAlerts } from './feed'
import type { Alert } from '../../lib/model/types'

const a = (id: number, p: Partial<Alert> = {}) =>
  ({ id, type: 'volume_spike', severity: 'warning', symbol: 'FPT', alias: null, contract: null, ...p }) as Alert

describe('alert feed', () => {
  it('queries a page of today with the filters, older than the last shown', () => {
    expect(feedQuery({ type: '', severity: '', symbol: '' })).toBe('/api/market/alerts?limit=100')
    expect(feedQuery({ type: 'user_rule', severity: 'critical', symbol: 'VN30F1M', krx: '41I1G1000' }, 57)).toBe(
      '/api/market/alerts?limit=100&before_id=57&type=user_rule&severity=critical&symbol=41I1G1000',
    )
  })
  it('matches live alerts by type, severity and symbol, alias or contract', () => {
    const fut = a(1, { symbol: '41I1G1000', alias: 'VN30F1M', contract: 'VN30F2412' })
    expect(matchesFilter(fut, { type: '', severity: '', symbol: 'VN30F1M' })).toBe(true)
    expect(matchesFilter(fut, { type: '', severity: '', symbol: 'VN30F2412' })).toBe(true)
    expect(matchesFilter(fut, { type: '', severity: '', symbol: 'FPT' })).toBe(false)
    expect(matchesFilter(a(2), { type: 'user_rule', severity: '', symbol: '' })).toBe(false)
    expect(matchesFilter(a(2), { type: '', severity: 'critical', symbol: '' })).toBe(false)
    expect(matchesFilter(a(2), { type: 'volume_spike', severity: 'warning', symbol: 'FPT' })).toBe(true)
  })
  it('merges pages and live alerts by id, newest first', () => {
    expect(mergeAlerts([a(9), a(7)], [a(8), a(7), a(3)]).map((x) => x.id)).toEqual([9, 8, 7, 3])
  })
})
