import { describe, expect, it } from 'vitest'
import { csvUrl, parseCsv } from './csv'

describe('CSV export', () => {
  it("adds format=csv to the page's own query", () => {
    expect(csvUrl('/api/market/snapshot')).toBe('/api/market/snapshot?format=csv')
    expect(csvUrl('/api/market/trades/FPT?limit=200&min_volume=5', { limit: 5000 })).toBe(
      '/api/market/trades/FPT?limit=5000&min_volume=5&format=csv',
    )
    expect(csvUrl('/api/market/snapshot', { symbols: null, x: '' })).toBe('/api/market/snapshot?format=csv')
    expect(csvUrl('/api/market/snapshot', { symbols: 'FPT,VNM' })).toBe(
      '/api/market/snapshot?symbols=FPT%2CVNM&format=csv',
    )
  })

  it('reads RFC 4180 back: BOM, quotes, doubled quotes, CRLF', () => {
    const text = '\ufefftime,symbol,note\r\n09:15:00,FPT,"a, b"\r\n09:15:01,VNM,"say ""hi"""\r\n'
    expect(parseCsv(text)).toEqual([
      ['time', 'symbol', 'note'],
      ['09:15:00', 'FPT', 'a, b'],
      ['09:15:01', 'VNM', 'say "hi"'],
    ])
    expect(parseCsv('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })
})
