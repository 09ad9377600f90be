import { describe, expect, it } from 'vitest'
import { ApiError } from '../../lib/api'
import {
  EMPTY_FORM, errorFor, parseDecimal, ruleBody, ruleToForm, thresholdEcho, thresholdScale, thresholdText, thresholdUnit,
} from './ruleForm'
import type { AlertRule } from '../../lib/types'

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
    expect(thresholdUnit('foreign_net_speed_val', 'stock', 'vi')).toBe('VND/phút')
  })
  it('the body sent is in VND; editing shows thousands again', () => {
    const f = { ...EMPTY_FORM, symbol: 'fpt', threshold: '94,9', frequency: 'once_per_bar' as const }
    const r = ruleBody(f, 'stock', 'vi')
    expect(r.body).toMatchObject({ symbol: 'FPT', metric: 'last_price', threshold: 94900, frequency: 'once_per_bar', window_min: 5, webhook_url: '' })
    const stored = { id: 3, ...r.body! } as AlertRule
    expect(ruleToForm(stored, 'stock', 'vi').threshold).toBe('94,9')
    expect(ruleToForm(stored, 'stock', 'en').threshold).toBe('94.9')
    expect(thresholdText(stored, 'stock', 'vi')).toBe('94,9')
    expect(ruleBody({ ...f, symbol: 'VN30F1M', threshold: '1310,5' }, 'futures', 'vi').body?.threshold).toBe(1310.5)
    expect(ruleBody({ ...f, symbol: '', threshold: '1' }, 'all', 'vi').body).toMatchObject({ symbol: '*', threshold: 1000 })
    expect(ruleBody({ ...f, metric: 'total_vol', threshold: '100.000' }, 'stock', 'vi').body?.threshold).toBe(100000)
  })
  it('echoes what a scaled or large threshold means', () => {
    expect(thresholdEcho(94900, 'last_price', 'stock', 'vi')).toBe('= 94.900 VND')
    expect(thresholdEcho(1.19e9, 'foreign_net_speed_val', 'stock', 'vi')).toBe('= 1,19 tỷ/phút')
    expect(thresholdEcho(70, 'active_buy_ratio', 'stock', 'vi')).toBeNull()
  })
  it('client checks name their field, translated', () => {
    const r = ruleBody({ ...EMPTY_FORM, threshold: 'x', window_min: '0', webhook_url: 'ftp://a', cooldown_sec: '-1' }, 'stock', 'vi')
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
