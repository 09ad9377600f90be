import { describe, expect, it } from 'vitest'
import { ApiError } from '../../lib/transport/api'
import {
  EMPTY_FORM,
  errorFor,
  isWholeUnit,
  parseDecimal,
  ruleBody,
  ruleToForm,
  thresholdEcho,
  thresholdInput,
  thresholdScale,
  thresholdText,
  thresholdToApi,
  thresholdUnit,
} from './ruleForm'
import type { AlertRule } from '../../lib/model/types'

describe('typed numbers', () => {
  it('either decimal point; grouped thousands', () => {
    expect(parseDecimal('105,5')).toBe(105.5)
    expect(parseDecimal('105.5')).toBe(105.5)
    expect(parseDecimal(' 94,9 ')).toBe(94.9)
    expect(parseDecimal('1.000.000')).toBe(1e6)
    expect(parseDecimal('1,000,000')).toBe(1e6)
    expect(parseDecimal('1.234,5')).toBe(1234.5)
    expect(parseDecimal('1,234.5')).toBe(1234.5)
    expect(parseDecimal('-0,5')).toBe(-0.5)
    expect(parseDecimal('105.500')).toBe(105.5) // a price in thousands: 105.5 either way
    expect(parseDecimal('100.000', true)).toBe(100000) // shares: grouping
    expect(parseDecimal('0,125', true)).toBe(0.125)
    for (const bad of ['', 'abc', '1e5', '12a', '--1']) expect(parseDecimal(bad)).toBeNull()
  })
})

describe('thresholds in the board unit', () => {
  it('stock prices in thousands of VND, futures and index in points', () => {
    expect(thresholdScale('last_price', 'stock')).toBe(1000)
    expect(thresholdScale('vwap', 'all')).toBe(1000)
    expect(thresholdScale('last_price', 'futures')).toBe(1)
    expect(thresholdScale('total_vol', 'stock')).toBe(1)
    expect(thresholdUnit('last_price', 'stock', 'vi')).toBe('nghìn VND')
    expect(thresholdUnit('last_price', 'futures', 'vi')).toBe('điểm')
    expect(thresholdUnit('total_vol', 'futures', 'en')).toBe('contracts')
    expect(thresholdUnit('foreign_net_speed_val', 'stock', 'vi')).toBe('tỷ VND/phút')
  })
  it('the body sent is in VND; editing shows thousands again', () => {
    const f = { ...EMPTY_FORM, symbol: 'fpt', threshold: '94,9', frequency: 'once_per_bar' as const }
    const r = ruleBody(f, 'stock', 'vi')
    expect(r.body).toMatchObject({
      symbol: 'FPT',
      metric: 'last_price',
      threshold: 94900,
      frequency: 'once_per_bar',
      window_min: 5,
      webhook_url: '',
    })
    const stored = { id: 3, ...r.body! } as AlertRule
    expect(ruleToForm(stored, 'stock', 'vi').threshold).toBe('94,9')
    expect(ruleToForm(stored, 'stock', 'en').threshold).toBe('94.9')
    expect(thresholdText(stored, 'stock', 'vi')).toBe('94,9')
    expect(ruleBody({ ...f, symbol: 'VN30F1M', threshold: '1310,5' }, 'futures', 'vi').body?.threshold).toBe(1310.5)
    expect(ruleBody({ ...f, symbol: '', threshold: '1' }, 'all', 'vi').body).toMatchObject({
      symbol: '*',
      threshold: 1000,
    })
    expect(ruleBody({ ...f, metric: 'total_vol', threshold: '100.000' }, 'stock', 'vi').body?.threshold).toBe(100000)
  })
  it('echoes what a scaled or large threshold means', () => {
    expect(thresholdEcho(94900, 'last_price', 'stock', 'vi')).toBe('= 94.900 VND')
    expect(thresholdEcho(1.19e9, 'foreign_net_speed_val', 'stock', 'vi')).toBe('= 1.190.000.000 VND/phút')
    expect(thresholdEcho(70, 'active_buy_ratio', 'stock', 'vi')).toBeNull()
    expect(thresholdEcho(125000, 'total_vol', 'stock', 'vi')).toBe('= 125.000 cp')
  })
  it('money in tỷ VND: scale, unit and echo', () => {
    for (const m of ['total_val', 'foreign_net_val', 'foreign_net_speed_val', 'foreign_net_accel_val']) {
      expect(thresholdScale(m, 'stock')).toBe(1e9)
      expect(thresholdScale(m, 'all')).toBe(1e9)
      expect(isWholeUnit(m, 'stock')).toBe(false)
    }
    expect(thresholdScale('total_val', 'futures')).toBe(1e9)
    expect(thresholdUnit('total_val', 'stock', 'vi')).toBe('tỷ VND')
    expect(thresholdUnit('foreign_net_val', 'stock', 'en')).toBe('bn VND')
    expect(thresholdUnit('foreign_net_speed_val', 'stock', 'en')).toBe('bn VND/min')
    expect(thresholdUnit('foreign_net_accel_val', 'stock', 'vi')).toBe('tỷ VND/phút²')
    expect(thresholdUnit('foreign_net_accel_val', 'stock', 'en')).toBe('bn VND/min²')
    expect(thresholdEcho(1.19e9, 'foreign_net_val', 'stock', 'vi')).toBe('= 1.190.000.000 VND')
    expect(thresholdEcho(1.19e9, 'total_val', 'stock', 'en')).toBe('= 1,190,000,000 VND')
    expect(thresholdEcho(-2.5e8, 'foreign_net_accel_val', 'stock', 'vi')).toBe('= -250.000.000 VND/phút²')
    expect(thresholdEcho(5e8, 'foreign_net_speed_val', 'stock', 'en')).toBe('= 500,000,000 VND/min')
    // Decimals as typed, in whole VND: 2.01 x 1e9 is 2009999999.9999998 in binary floating point.
    expect(thresholdToApi(parseDecimal('1,19')!, 'foreign_net_val', 'stock')).toBe(1190000000)
    expect(thresholdToApi(parseDecimal('2,01')!, 'total_val', 'stock')).toBe(2010000000)
    expect(thresholdToApi(parseDecimal('1,005')!, 'foreign_net_val', 'stock')).toBe(1005000000)
  })
  it('money typed in tỷ reaches the API in VND; editing shows tỷ again', () => {
    const f = { ...EMPTY_FORM, symbol: 'FPT', metric: 'foreign_net_val', threshold: '1,19' }
    const r = ruleBody(f, 'stock', 'vi')
    expect(r.body).toMatchObject({ symbol: 'FPT', metric: 'foreign_net_val', threshold: 1190000000 })
    const stored = { id: 4, ...r.body! } as AlertRule
    expect(ruleToForm(stored, 'stock', 'vi').threshold).toBe('1,19')
    expect(ruleToForm(stored, 'stock', 'en').threshold).toBe('1.19')
    expect(thresholdText(stored, 'stock', 'vi')).toBe('1,19 tỷ')
    // Either decimal point; a whole number of tỷ; a negative net flow; all symbols.
    expect(ruleBody({ ...f, threshold: '1.19' }, 'stock', 'en').body?.threshold).toBe(1190000000)
    expect(ruleBody({ ...f, metric: 'total_val', threshold: '50' }, 'stock', 'vi').body?.threshold).toBe(50e9)
    expect(ruleBody({ ...f, threshold: '-0,75' }, 'stock', 'vi').body?.threshold).toBe(-750000000)
    expect(
      ruleBody({ ...f, symbol: '', metric: 'foreign_net_speed_val', threshold: '0,5' }, 'all', 'vi').body,
    ).toMatchObject({
      symbol: '*',
      threshold: 500000000,
    })
    expect(ruleBody({ ...f, metric: 'foreign_net_accel_val', threshold: '0,125' }, 'stock', 'vi').body?.threshold).toBe(
      125000000,
    )
    // A value stored in VND reads back in tỷ, to the last đồng, never in exponent notation.
    expect(thresholdInput(1190000000, 'foreign_net_val', 'stock', 'vi')).toBe('1,19')
    expect(thresholdInput(50e9, 'total_val', 'stock', 'vi')).toBe('50')
    expect(thresholdInput(-750000000, 'foreign_net_val', 'stock', 'en')).toBe('-0.75')
    expect(thresholdInput(1234567891, 'foreign_net_speed_val', 'stock', 'vi')).toBe('1,234567891')
    expect(thresholdInput(100, 'foreign_net_val', 'stock', 'en')).toBe('0.0000001')
    expect(thresholdInput(0, 'foreign_net_val', 'stock', 'vi')).toBe('0')
    for (const v of [1190000000, 1234567891, 987654321012345, -42, 100])
      expect(
        ruleBody({ ...f, threshold: thresholdInput(v, 'foreign_net_val', 'stock', 'vi') }, 'stock', 'vi').body
          ?.threshold,
      ).toBe(v)
  })
  it('prices, volumes and percent keep their units', () => {
    expect(thresholdInput(94900, 'last_price', 'stock', 'vi')).toBe('94,9')
    expect(thresholdInput(1310.5, 'last_price', 'futures', 'en')).toBe('1310.5')
    expect(thresholdInput(100000, 'total_vol', 'stock', 'vi')).toBe('100000')
    expect(thresholdInput(70, 'active_buy_ratio', 'stock', 'vi')).toBe('70')
    expect(thresholdScale('change_pct', 'stock')).toBe(1)
    expect(thresholdUnit('change_pct', 'stock', 'vi')).toBe('%')
    expect(ruleBody({ ...EMPTY_FORM, metric: 'change_pct', threshold: '2,5' }, 'stock', 'vi').body?.threshold).toBe(2.5)
    expect(isWholeUnit('total_vol', 'stock')).toBe(true)
  })
  it('client checks name their field, translated', () => {
    const r = ruleBody(
      { ...EMPTY_FORM, threshold: 'x', window_min: '0', webhook_url: 'ftp://a', cooldown_sec: '-1' },
      'stock',
      'vi',
    )
    expect(Object.keys(r.errors!).sort()).toEqual(['cooldown_sec', 'threshold', 'webhook_url', 'window_min'])
    expect(r.errors!.window_min).toBe('Cửa sổ từ 1 đến 60 phút')
  })
})

describe('server errors', () => {
  it('on the named field, translated; else on the form', () => {
    const unknown = new ApiError(400, 'unknown symbol XYZ', 'bad_parameter', 'symbol')
    expect(errorFor(unknown, 'vi').symbol).toMatch(/^Mã không tồn tại/)
    expect(errorFor(unknown, 'en').symbol).toMatch(/^Unknown symbol/)
    expect(errorFor(new ApiError(409, 'at most 100 rules', 'rule_limit', null), 'vi')).toEqual({
      form: 'Đã đạt số quy tắc tối đa: hãy xoá bớt một quy tắc',
    })
    expect(errorFor(new ApiError(400, 'x', 'bad_parameter', 'rule'), 'en')).toEqual({ form: 'Invalid rule' })
    expect(errorFor(new TypeError('Failed to fetch'), 'vi')).toEqual({ form: 'Không kết nối được máy chủ' })
  })
})
