import { describe, expect, it } from 'vitest'
import {
  fmtBn,
  fmtBn1,
  fmtInt,
  fmtPct,
  fmtPoints,
  fmtPrice,
  fmtRatio,
  fmtSigned,
  fmtVol,
  minuteOf,
  timeOf,
} from './format'
import { priceTone, signTone } from './colors'
import { sortSymbols } from '../../features/board/sort'
import type { SymbolState } from '../model/types'

describe('formatting', () => {
  it('prices in thousands of VND', () => {
    expect(fmtPrice(24650)).toBe('24.65')
    expect(fmtPrice(105000)).toBe('105.00')
    expect(fmtPrice(null)).toBe('–')
    expect(fmtPrice(0)).toBe('–')
  })
  it('points, signs and percents', () => {
    expect(fmtPoints(1898.98)).toBe('1,898.98')
    expect(fmtSigned(13.56)).toBe('+13.56')
    expect(fmtSigned(-0.2)).toBe('-0.20')
    expect(fmtSigned(0)).toBe('0.00')
    expect(fmtPct(0.6122)).toBe('+0.61%')
    expect(fmtPct(-1.5)).toBe('-1.50%')
    expect(fmtRatio(0.704103)).toBe('70.4%')
    expect(fmtRatio(null)).toBe('–')
  })
  it('volumes and values', () => {
    expect(fmtInt(1234567)).toBe('1,234,567')
    expect(fmtVol(950)).toBe('950')
    expect(fmtVol(12300)).toBe('12.3K')
    expect(fmtVol(4560000)).toBe('4.56M')
    expect(fmtVol(-1540996979)).toBe('-1.54B')
    expect(fmtBn(1128970000)).toBe('1.13')
    expect(fmtBn1(1523440000000)).toBe('1,523.4')
    expect(fmtBn1(null)).toBe('–')
    expect(fmtBn(-266220000, true)).toBe('-0.27')
    expect(timeOf('2026-11-25T09:15:48')).toBe('09:15:48')
    expect(timeOf('2026-11-25T09:15:48+07:00')).toBe('09:15:48')
    expect(minuteOf('2026-11-25T09:15:48+07:00')).toBe('09:15')
  })
})

describe('colour rules', () => {
  const ref = 24500,
    ceil = 26200,
    floor = 22800
  it('green up, red down, yellow reference, purple ceiling, cyan floor', () => {
    expect(priceTone(24650, ref, ceil, floor)).toBe('up')
    expect(priceTone(24400, ref, ceil, floor)).toBe('down')
    expect(priceTone(24500, ref, ceil, floor)).toBe('ref')
    expect(priceTone(26200, ref, ceil, floor)).toBe('ceil')
    expect(priceTone(22800, ref, ceil, floor)).toBe('floor')
    expect(priceTone(null, ref, ceil, floor)).toBe('none')
    expect(priceTone(24500, null)).toBe('none')
  })
  it('signed values', () => {
    expect(signTone(1)).toBe('up')
    expect(signTone(-1)).toBe('down')
    expect(signTone(0)).toBe('ref')
    expect(signTone(null)).toBe('none')
  })
})

describe('sorting', () => {
  const s = (symbol: string, change_pct: number | null, net?: number) =>
    ({ symbol, change_pct, foreign: net === undefined ? undefined : { net_val: net } }) as unknown as SymbolState
  const rows = [s('FPT', 1.2, 5), s('ACB', -0.5), s('VNM', null, -3), s('HPG', 1.2, 9)]
  it('by a number, ties by symbol, nulls last both ways', () => {
    expect(sortSymbols(rows, { key: 'change_pct', dir: 'desc' })).toEqual(['FPT', 'HPG', 'ACB', 'VNM'])
    expect(sortSymbols(rows, { key: 'change_pct', dir: 'asc' })).toEqual(['ACB', 'FPT', 'HPG', 'VNM'])
  })
  it('by symbol and by foreign net value', () => {
    expect(sortSymbols(rows, { key: 'symbol', dir: 'asc' })).toEqual(['ACB', 'FPT', 'HPG', 'VNM'])
    expect(sortSymbols(rows, { key: 'foreign_net', dir: 'desc' })).toEqual(['HPG', 'FPT', 'VNM', 'ACB'])
  })
})

describe('Intl-free fast paths', () => {
  const intl0 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 })
  const intl2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  // Deterministic pseudo-random integers over every magnitude.
  let x = 12345
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648), x)
  const ints: number[] = [
    0,
    1,
    9,
    10,
    99,
    100,
    999,
    1000,
    1001,
    9999,
    10000,
    99999,
    100000,
    999999,
    1000000,
    2 ** 53 - 1,
  ]
  for (let i = 0; i < 3000; i++) ints.push(Math.floor(rnd() / 10 ** (rnd() % 10)) * (1 + (rnd() % 1000)))
  it('fmtInt groups digits exactly like Intl', () => {
    for (const v of ints) expect(fmtInt(v)).toBe(intl0.format(v))
    for (const v of [-1, -1234567, 1234.5, -0, 0.4]) expect(fmtInt(v)).toBe(intl0.format(v))
  })
  it('fmtPrice of whole tens of VND equals Intl of the thousands', () => {
    for (const v of ints) if (v > 0) expect(fmtPrice(v * 10)).toBe(intl2.format((v * 10) / 1000))
    for (const v of [24655, 5, 1, 999, 1005, -24650, 24650.5]) expect(fmtPrice(v)).toBe(intl2.format(v / 1000))
  })
})

import { fmtMoney, fmtVolL } from './format'
describe('units by language', () => {
  it('tỷ / triệu / nghìn in Vietnamese, never bn, M or B', () => {
    expect(fmtVolL(950, 'vi')).toBe('950')
    expect(fmtVolL(12300, 'vi')).toBe('12.3 nghìn')
    expect(fmtVolL(4560000, 'vi')).toBe('4.56 triệu')
    expect(fmtVolL(1.2e9, 'vi')).toBe('1.20 tỷ')
    expect(fmtVolL(-12300, 'en')).toBe('-12.3K')
    expect(fmtVolL(1.2e9, 'en')).toBe('1.20B')
    expect(fmtMoney(1.13e9, 'vi')).toBe('1.13 tỷ')
    expect(fmtMoney(-12.5e6, 'vi', true)).toBe('-12.50 triệu')
    expect(fmtMoney(2.5e9, 'en', true)).toBe('+2.50 bn')
    expect(fmtMoney(5000, 'vi')).toBe('5,000 đ')
    expect(fmtMoney(null, 'vi')).toBe('–')
    for (const v of [1e4, 1e6, 1e9, 1e12]) {
      expect(fmtVolL(v, 'vi')).not.toMatch(/\b(bn|B|M|K)\b/)
      expect(fmtMoney(v, 'vi')).not.toMatch(/\b(bn|B|M|K)\b/)
    }
  })
})
