import { describe, expect, it } from 'vitest'
import {
  ALERT_TYPES,
  alertSentence,
  alertSubject,
  fmtNumber,
  formatFigure,
  metricName,
  metricUnit,
  severityName,
  typeName,
} from './alertText'
import type { Alert } from './types'

const base: Alert = {
  id: 1,
  type: 'user_rule',
  severity: 'warning',
  symbol: 'FPT',
  contract: null,
  alias: null,
  rule_id: 0,
  rule_name: '',
  metric: 'last_price',
  unit: 'vnd',
  direction: null,
  comparison: null,
  window_sec: null,
  value: 0,
  threshold: 0,
  details: {},
  time: '2026-12-07T09:31:00',
  message: 'server sentence',
}
const alert = (p: Partial<Alert>): Alert => ({ ...base, ...p })

// Built-in alerts as the server sends them (one per type; user rules below).
const samples: Record<string, Alert> = {
  volume_spike: alert({
    type: 'volume_spike',
    metric: 'minute_volume',
    unit: 'shares',
    direction: 'up',
    window_sec: 60,
    value: 52300,
    threshold: 48000,
    details: {
      average: { value: 12000, unit: 'shares' },
      multiple: { value: 4.358, unit: 'multiple' },
      lookback_min: { value: 10, unit: 'count' },
    },
  }),
  price_breakout: alert({
    type: 'price_breakout',
    severity: 'critical',
    unit: 'vnd',
    direction: 'up',
    value: 105500,
    threshold: 105500,
  }),
  foreign_acceleration: alert({
    type: 'foreign_acceleration',
    metric: 'foreign_net_accel_val',
    unit: 'vnd_per_min2',
    direction: 'down',
    window_sec: 300,
    value: -1194260000,
    threshold: 500000000,
    details: { net_speed_val: { value: -3512000000, unit: 'vnd_per_min' } },
  }),
  basis_divergence: alert({
    type: 'basis_divergence',
    symbol: '41I1G1000',
    contract: 'VN30F2412',
    alias: 'VN30F1M',
    metric: 'basis',
    unit: 'points',
    direction: 'up',
    value: 3.2,
    threshold: 1.5,
    details: {
      basis_pct: { value: 0.2438, unit: 'percent' },
      spot: { value: 1312.45, unit: 'points' },
      price: { value: 1315.6, unit: 'points' },
    },
  }),
  velocity_divergence: alert({
    type: 'velocity_divergence',
    metric: 'price_move_pct',
    unit: 'percent',
    direction: 'up',
    window_sec: 300,
    value: 1.2345,
    threshold: 1,
    details: { imbalance_pct: { value: -45.2, unit: 'percent' } },
  }),
  imbalance_extreme: alert({
    type: 'imbalance_extreme',
    severity: 'info',
    metric: 'active_buy_ratio',
    unit: 'percent',
    direction: 'up',
    window_sec: 300,
    value: 85.04,
    threshold: 80,
    details: { aggressed_vol: { value: 2238800, unit: 'shares' } },
  }),
  user_rule: alert({
    type: 'user_rule',
    rule_id: 3,
    rule_name: 'FPT breakout',
    comparison: '>=',
    unit: 'vnd',
    direction: 'up',
    value: 105600,
    threshold: 105500,
  }),
}

const expected: Record<string, [vi: string, en: string]> = {
  volume_spike: [
    'FPT khối lượng đột biến: 52.300 cp trong 1 phút, gấp 4,4 lần trung bình 10 phút trước (12.000 cp)',
    'FPT volume spike: 52,300 shares in one minute, 4.4× the average of the previous 10 minutes (12,000 shares)',
  ],
  price_breakout: ['FPT chạm giá trần: 105,5', 'FPT hit the ceiling: 105.5'],
  foreign_acceleration: [
    'FPT khối ngoại tăng tốc bán ròng: -1,19 tỷ/phút² (tốc độ ròng -3,51 tỷ/phút)',
    'FPT foreign net selling accelerating: -1.19 bn VND/min² (net speed -3.51 bn VND/min)',
  ],
  basis_divergence: [
    'VN30F1M (VN30F2412) basis đảo sang dương (premium): +3,2 điểm (+0,24%), HĐ 1.315,6 so với VN30 1.312,45',
    'VN30F1M (VN30F2412) basis flipped to premium: +3.2 points (+0.24%), futures 1,315.6 vs VN30 1,312.45',
  ],
  velocity_divergence: [
    'FPT giá +1,23% trong 5 phút trong khi dòng lệnh chủ động nghiêng về bán (chênh lệch -45,2%)',
    'FPT price +1.23% over 5 min while active flow is selling (imbalance -45.2%)',
  ],
  imbalance_extreme: [
    'FPT mua chủ động áp đảo: tỷ lệ mua chủ động 85,04% trong 5 phút (2.238.800 cp khớp chủ động)',
    'FPT active buying dominates: active-buy ratio 85.04% over 5 min (2,238,800 shares aggressed)',
  ],
  user_rule: ['FPT breakout: FPT giá khớp 105,6 ≥ 105,5', 'FPT breakout: FPT last price 105.6 ≥ 105.5'],
}

describe('alert sentences', () => {
  it.each(ALERT_TYPES)('%s in Vietnamese and English', (type) => {
    const a = samples[type]
    expect(alertSentence(a, 'vi')).toBe(expected[type][0])
    expect(alertSentence(a, 'en')).toBe(expected[type][1])
  })

  it('never prints raw 10-digit integers or scientific notation', () => {
    const huge = [
      alert({ metric: 'total_val', unit: 'vnd', comparison: '>=', value: 2238800000000, threshold: 1e12, rule_id: 9 }),
      alert({ metric: 'total_vol', unit: 'shares', comparison: '>=', value: 2238800, threshold: 1e6, rule_id: 9 }),
      alert({ metric: 'foreign_net_val', unit: 'vnd', comparison: '<', value: -1.5e22, threshold: -1e9, rule_id: 9 }),
      ...Object.values(samples),
    ]
    for (const a of huge)
      for (const l of ['vi', 'en'] as const) {
        const s = alertSentence(a, l)
        expect(s).not.toMatch(/\d{5,}/) // every run of digits is grouped
        expect(s).not.toMatch(/\de[+-]?\d/i)
      }
    expect(alertSentence(huge[0], 'vi')).toBe('Quy tắc #9: FPT tổng GTGD 2.238,8 tỷ ≥ 1.000 tỷ')
    expect(alertSentence(huge[1], 'en')).toBe('Rule #9: FPT total volume 2,238,800 shares ≥ 1,000,000 shares')
  })

  it('user rules: crossings, futures in points, windowed metrics, signs', () => {
    const cross = alert({ rule_name: 'Vượt 105,5', comparison: 'crosses_above', value: 105600, threshold: 105500 })
    expect(alertSentence(cross, 'vi')).toBe('Vượt 105,5: FPT giá khớp vượt lên trên 105,5 (hiện 105,6)')
    expect(alertSentence(cross, 'en')).toBe('Vượt 105,5: FPT last price crossed above 105.5 (now 105.6)')
    const fut = alert({
      symbol: '41I1G1000',
      contract: 'VN30F2412',
      alias: 'VN30F1M',
      rule_id: 4,
      comparison: 'crosses_below',
      unit: 'points',
      value: 1309.9,
      threshold: 1310,
    })
    expect(alertSentence(fut, 'vi')).toBe(
      'Quy tắc #4: VN30F1M (VN30F2412) giá khớp cắt xuống dưới 1.310 (hiện 1.309,9)',
    )
    const ratio = alert({
      metric: 'active_buy_ratio_window',
      unit: 'percent',
      comparison: '>',
      window_sec: 600,
      value: 71.25,
      threshold: 70,
      rule_id: 5,
    })
    expect(alertSentence(ratio, 'vi')).toBe('Quy tắc #5: FPT tỷ lệ mua chủ động 10 phút 71,25% > 70%')
    expect(alertSentence(ratio, 'en')).toBe('Rule #5: FPT active-buy ratio, 10 min 71.25% > 70%')
    const chg = alert({ metric: 'change', unit: 'vnd', comparison: '>=', value: 1500, threshold: 1000, rule_id: 6 })
    expect(alertSentence(chg, 'vi')).toBe('Quy tắc #6: FPT thay đổi giá +1,5 ≥ 1')
    const mult = alert({
      metric: 'volume_multiple',
      unit: 'multiple',
      comparison: '>=',
      value: 3.04,
      threshold: 3,
      rule_id: 7,
    })
    expect(alertSentence(mult, 'vi')).toBe('Quy tắc #7: FPT KL phút / trung bình 10 phút 3 lần ≥ 3 lần')
    expect(alertSentence(mult, 'en')).toBe('Rule #7: FPT minute volume / 10-min average 3× ≥ 3×')
  })

  it('a floor, a discount, buying flow', () => {
    expect(alertSentence({ ...samples.price_breakout, direction: 'down', value: 91800 }, 'vi')).toBe(
      'FPT chạm giá sàn: 91,8',
    )
    expect(alertSentence({ ...samples.basis_divergence, direction: 'down', value: -2.1, details: {} }, 'en')).toBe(
      'VN30F1M (VN30F2412) basis flipped to discount: -2.1 points',
    )
    const spotOnly = { ...samples.basis_divergence, details: { spot: { value: 1312.45, unit: 'points' as const } } }
    expect(alertSentence(spotOnly, 'vi')).toBe(
      'VN30F1M (VN30F2412) basis đảo sang dương (premium): +3,2 điểm, VN30 ở 1.312,45',
    )
    expect(alertSentence({ ...samples.volume_spike, details: {} }, 'en')).toBe(
      'FPT volume spike: 52,300 shares in one minute',
    )
    expect(alertSentence({ ...samples.imbalance_extreme, direction: 'down', value: 15, details: {} }, 'vi')).toBe(
      'FPT bán chủ động áp đảo: tỷ lệ mua chủ động 15% trong 5 phút',
    )
  })

  it('an alert of the older server shape falls back to its message', () => {
    const old = { ...base, metric: undefined } as unknown as Alert
    expect(alertSentence(old, 'vi')).toBe('server sentence')
  })
})

describe('figures', () => {
  it('Vietnamese and English number conventions', () => {
    expect(fmtNumber(52300, 'vi')).toBe('52.300')
    expect(fmtNumber(52300, 'en')).toBe('52,300')
    expect(fmtNumber(1.19, 'vi')).toBe('1,19')
    expect(fmtNumber(-0.001, 'vi')).toBe('0')
    expect(fmtNumber(1e22, 'en')).toBe('10,000,000,000,000,000,000,000')
  })
  it('money scaled to tỷ, triệu, nghìn', () => {
    expect(formatFigure(1.19e9, 'vnd_per_min', 'vi')).toBe('1,19 tỷ/phút')
    expect(formatFigure(1.19e9, 'vnd_per_min', 'en')).toBe('1.19 bn VND/min')
    expect(formatFigure(350e6, 'vnd', 'vi')).toBe('350 triệu')
    expect(formatFigure(999996000, 'vnd', 'vi')).toBe('1 tỷ')
    expect(formatFigure(12500, 'vnd', 'vi')).toBe('12,5 nghìn')
    expect(formatFigure(12500, 'vnd', 'en')).toBe('12.5 k VND')
    expect(formatFigure(850, 'vnd', 'vi')).toBe('850 đồng')
  })
  it('prices in the board unit', () => {
    expect(formatFigure(105500, 'vnd', 'vi', { metric: 'last_price' })).toBe('105,5')
    expect(formatFigure(105500, 'vnd', 'en', { metric: 'last_price' })).toBe('105.5')
    expect(formatFigure(24650, 'vnd', 'vi', { metric: 'vwap' })).toBe('24,65')
    expect(formatFigure(1312.4, 'points', 'vi', { metric: 'last_price' })).toBe('1.312,4')
    expect(formatFigure(-1.25, 'points', 'vi', { signed: true })).toBe('-1,25 điểm')
    expect(formatFigure(3, 'contracts', 'en')).toBe('3 contracts')
  })
  it('names translated', () => {
    expect(typeName('volume_spike', 'vi')).toBe('Khối lượng đột biến')
    expect(typeName('price_breakout', 'en')).toBe('Ceiling/floor hit')
    expect(severityName('critical', 'vi')).toBe('Nghiêm trọng')
    expect(metricName('foreign_net_val', 'vi')).toBe('GT khối ngoại ròng')
    expect(metricName('active_buy_ratio_window', 'en', 15)).toBe('Active-buy ratio, 15 min')
    expect(metricUnit('last_price', 'stock')).toBe('vnd')
    expect(metricUnit('last_price', 'futures')).toBe('points')
    expect(metricUnit('total_vol', 'futures')).toBe('contracts')
    expect(alertSubject({ symbol: '41I1G1000', alias: 'VN30F1M', contract: 'VN30F2412' })).toBe('VN30F1M (VN30F2412)')
  })
})
