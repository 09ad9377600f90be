// The sentence of an alert, built from its fields in Vietnamese or English (the server's `message` is English
// only). Vietnamese number conventions: "." groups thousands and "," is the decimal point; money is scaled to
// tỷ / triệu / nghìn ("1,19 tỷ/phút"); stock prices in thousands of VND as on the board ("105,5"). Never a raw
// 10-digit integer, never scientific notation. Pure: no stores, no DOM.
import type { Lang } from '../ui/i18n'
import type { Alert, AlertType, AlertUnit, Comparison, Severity } from './types'

type Pair = readonly [vi: string, en: string]
const pick = (p: Pair, l: Lang) => p[l === 'vi' ? 0 : 1]

export const ALERT_TYPES: AlertType[] = [
  'volume_spike',
  'price_breakout',
  'foreign_acceleration',
  'basis_divergence',
  'velocity_divergence',
  'imbalance_extreme',
  'user_rule',
]
export const SEVERITIES: Severity[] = ['info', 'warning', 'critical']
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s)

const TYPE_NAMES: Record<AlertType, Pair> = {
  volume_spike: ['Khối lượng đột biến', 'Volume spike'],
  price_breakout: ['Chạm trần/sàn', 'Ceiling/floor hit'],
  foreign_acceleration: ['Khối ngoại tăng tốc', 'Foreign acceleration'],
  basis_divergence: ['Basis đảo chiều', 'Basis flip'],
  velocity_divergence: ['Giá ngược dòng lệnh', 'Price/flow divergence'],
  imbalance_extreme: ['Mua/bán chủ động áp đảo', 'Extreme imbalance'],
  user_rule: ['Quy tắc người dùng', 'User rule'],
}
const SEVERITY_NAMES: Record<Severity, Pair> = {
  info: ['Thông tin', 'Info'],
  warning: ['Cảnh báo', 'Warning'],
  critical: ['Nghiêm trọng', 'Critical'],
}

// Rule metrics and the built-in alerts' own metrics (minute_volume, price_move_pct).
export const METRIC_NAMES: Record<string, Pair> = {
  last_price: ['Giá khớp', 'Last price'],
  change: ['Thay đổi giá', 'Price change'],
  change_pct: ['% thay đổi', 'Change %'],
  total_vol: ['Tổng KL', 'Total volume'],
  total_val: ['Tổng GTGD', 'Total value'],
  trade_count: ['Số lệnh khớp', 'Trade count'],
  vwap: ['Giá bình quân (VWAP)', 'VWAP'],
  active_buy_vol: ['KL mua chủ động', 'Active-buy volume'],
  active_sell_vol: ['KL bán chủ động', 'Active-sell volume'],
  active_buy_ratio: ['Tỷ lệ mua chủ động (cả ngày)', 'Active-buy ratio (day)'],
  active_buy_ratio_5m: ['Tỷ lệ mua chủ động 5 phút', 'Active-buy ratio, 5 min'],
  active_buy_ratio_window: ['Tỷ lệ mua chủ động N phút', 'Active-buy ratio, N min'],
  volume_multiple: ['KL phút / trung bình 10 phút', 'Minute volume / 10-min average'],
  foreign_buy_vol: ['KL khối ngoại mua', 'Foreign buy volume'],
  foreign_sell_vol: ['KL khối ngoại bán', 'Foreign sell volume'],
  foreign_net_vol: ['KL khối ngoại ròng', 'Foreign net volume'],
  foreign_net_val: ['GT khối ngoại ròng', 'Foreign net value'],
  foreign_net_speed_vol: ['Tốc độ ròng NN (KL)', 'Foreign net speed (volume)'],
  foreign_net_speed_val: ['Tốc độ ròng NN (giá trị)', 'Foreign net speed (value)'],
  foreign_net_accel_val: ['Gia tốc ròng NN', 'Foreign net acceleration'],
  room_used_pct: ['Room NN đã dùng', 'Foreign room used'],
  basis: ['Basis', 'Basis'],
  basis_pct: ['Basis %', 'Basis %'],
  fair_basis: ['Basis hợp lý', 'Fair basis'],
  basis_minus_fair: ['Basis trừ hợp lý', 'Basis minus fair'],
  index_value: ['Điểm chỉ số', 'Index value'],
  index_change_pct: ['% thay đổi chỉ số', 'Index change %'],
  advances: ['Số mã tăng', 'Advancing stocks'],
  declines: ['Số mã giảm', 'Declining stocks'],
  minute_volume: ['KL phút', 'Minute volume'],
  price_move_pct: ['Biến động giá', 'Price move'],
}

export const typeName = (t: string, l: Lang): string => (t in TYPE_NAMES ? pick(TYPE_NAMES[t as AlertType], l) : t)
export const severityName = (s: string, l: Lang): string =>
  s in SEVERITY_NAMES ? pick(SEVERITY_NAMES[s as Severity], l) : s

// "Tỷ lệ mua chủ động 10 phút" for the windowed ratio, the plain name otherwise.
export function metricName(m: string, l: Lang, windowMin?: number | null): string {
  const p = METRIC_NAMES[m]
  if (!p) return m
  const name = pick(p, l)
  return m === 'active_buy_ratio_window' && windowMin ? name.replace('N', String(windowMin)) : name
}

const COMPARISONS: Record<Comparison, Pair> = {
  '>': ['>', '>'],
  '>=': ['≥', '≥'],
  '<': ['<', '<'],
  '<=': ['≤', '≤'],
  '==': ['=', '='],
  crosses_above: ['vượt lên trên', 'crosses above'],
  crosses_below: ['cắt xuống dưới', 'crosses below'],
}
export const comparisonText = (c: string, l: Lang): string =>
  c in COMPARISONS ? pick(COMPARISONS[c as Comparison], l) : c

// ---- numbers ----

// A number with up to `maxFrac` decimals (trailing zeros dropped down to `minFrac`), grouped the reader's way:
// vi "1.234,5", en "1,234.5".
export function fmtNumber(v: number, l: Lang, maxFrac = 2, minFrac = 0): string {
  if (!Number.isFinite(v)) return '–'
  const a = Math.abs(v)
  // toFixed switches to exponent notation from 1e21: print such (absurd) figures as whole numbers.
  const fixed = a >= 1e21 ? BigInt(Math.round(a)).toString() : a.toFixed(maxFrac)
  let [int, frac = ''] = fixed.split('.')
  while (frac.length > minFrac && frac.endsWith('0')) frac = frac.slice(0, -1)
  const [group, point] = l === 'vi' ? ['.', ','] : [',', '.']
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, group)
  const out = frac ? `${int}${point}${frac}` : int
  return v < 0 && /[1-9]/.test(out) ? `-${out}` : out
}

// Price metrics are in the board's unit: thousands of VND for stocks (points for futures and indices).
const PRICE_METRICS = new Set(['last_price', 'change', 'vwap'])
export const isPriceMetric = (m: string): boolean => PRICE_METRICS.has(m)

// Metrics whose sign carries meaning (shown as "+1,5").
const SIGNED_METRICS = new Set([
  'change',
  'change_pct',
  'foreign_net_vol',
  'foreign_net_val',
  'foreign_net_speed_vol',
  'foreign_net_speed_val',
  'foreign_net_accel_val',
  'basis',
  'basis_pct',
  'basis_minus_fair',
  'fair_basis',
  'index_change_pct',
  'price_move_pct',
])

export type InstrumentKind = 'stock' | 'futures' | 'index'

// The unit the API uses for a rule metric on a kind of instrument.
export function metricUnit(metric: string, kind: InstrumentKind): AlertUnit | null {
  switch (metric) {
    case 'last_price':
    case 'change':
    case 'vwap':
      return kind === 'stock' ? 'vnd' : 'points'
    case 'total_vol':
    case 'active_buy_vol':
    case 'active_sell_vol':
    case 'minute_volume':
      return kind === 'futures' ? 'contracts' : 'shares'
    case 'foreign_buy_vol':
    case 'foreign_sell_vol':
    case 'foreign_net_vol':
      return 'shares'
    case 'total_val':
    case 'foreign_net_val':
      return 'vnd'
    case 'foreign_net_speed_vol':
      return 'shares_per_min'
    case 'foreign_net_speed_val':
      return 'vnd_per_min'
    case 'foreign_net_accel_val':
      return 'vnd_per_min2'
    case 'change_pct':
    case 'active_buy_ratio':
    case 'active_buy_ratio_5m':
    case 'active_buy_ratio_window':
    case 'room_used_pct':
    case 'basis_pct':
    case 'index_change_pct':
    case 'price_move_pct':
      return 'percent'
    case 'basis':
    case 'fair_basis':
    case 'basis_minus_fair':
    case 'index_value':
      return 'points'
    case 'volume_multiple':
      return 'multiple'
    case 'trade_count':
    case 'advances':
    case 'declines':
      return 'count'
    default:
      return null
  }
}

// Money scaled to tỷ / triệu / nghìn (bn / mn / k VND), two decimals at most: 1.19e9 -> "1,19 tỷ".
function money(v: number, l: Lang, per: string): string {
  const a = Math.abs(v)
  const [div, vi, en] =
    a >= 1e9
      ? [1e9, 'tỷ', 'bn VND']
      : a >= 1e6
        ? [1e6, 'triệu', 'mn VND']
        : a >= 1e3
          ? [1e3, 'nghìn', 'k VND']
          : [1, 'đồng', 'VND']
  // Round first: 999.996 million is "1 tỷ", not "1.000 triệu".
  const scaled = Math.round((v / div) * 100) / 100
  if (Math.abs(scaled) >= 1000 && div < 1e9) return money(Math.sign(v) * div * 1000, l, per)
  return `${fmtNumber(scaled, l)} ${l === 'vi' ? vi : en}${per}`
}

const UNIT_WORDS: Partial<Record<AlertUnit, Pair>> = {
  shares: [' cp', ' shares'],
  contracts: [' HĐ', ' contracts'],
  shares_per_min: [' cp/phút', ' shares/min'],
  points: [' điểm', ' points'],
}

export interface FigureOptions {
  metric?: string // price metrics (last_price, change, vwap) print VND as the board's thousands, no unit word
  signed?: boolean // "+" before positive figures
}

// A figure in its unit as a trader reads it: formatFigure(1.19e9, 'vnd_per_min', 'vi') = "1,19 tỷ/phút";
// formatFigure(105500, 'vnd', 'en', { metric: 'last_price' }) = "105.5".
export function formatFigure(v: number, unit: AlertUnit | null, l: Lang, o: FigureOptions = {}): string {
  if (!Number.isFinite(v)) return '–'
  const sign = o.signed && v > 0 ? '+' : ''
  const price = o.metric !== undefined && isPriceMetric(o.metric)
  const per = (vi: string, en: string) => (l === 'vi' ? vi : en)
  switch (unit) {
    case 'vnd':
      return sign + (price ? fmtNumber(v / 1000, l) : money(v, l, ''))
    case 'vnd_per_min':
      return sign + money(v, l, per('/phút', '/min'))
    case 'vnd_per_min2':
      return sign + money(v, l, per('/phút²', '/min²'))
    case 'points':
      return sign + fmtNumber(v, l) + (price ? '' : pick(UNIT_WORDS.points!, l))
    case 'shares':
    case 'contracts':
    case 'shares_per_min':
      return sign + fmtNumber(v, l, 0) + pick(UNIT_WORDS[unit]!, l)
    case 'percent':
      return `${sign}${fmtNumber(v, l)}%`
    case 'multiple':
      return l === 'vi' ? `${fmtNumber(v, l, 1)} lần` : `${fmtNumber(v, l, 1)}×`
    case 'count':
      return sign + fmtNumber(v, l, 0)
    default:
      return sign + fmtNumber(v, l)
  }
}

// ---- sentences ----

// "VN30F1M (VN30F2412)" for a futures contract, the symbol otherwise.
export function alertSubject(a: Pick<Alert, 'symbol' | 'alias' | 'contract'>): string {
  if (a.alias) return a.contract ? `${a.alias} (${a.contract})` : a.alias
  return a.contract || a.symbol
}

// "Giá khớp" -> "giá khớp" inside a sentence; acronyms ("KL mua", "VWAP") stay as they are.
const lowerFirst = (w: string) => (/^\p{Lu}\p{Ll}/u.test(w) ? w[0].toLowerCase() + w.slice(1) : w)

const minutes = (sec: number | null | undefined) => Math.max(1, Math.round((sec ?? 300) / 60))

// The alert as one sentence in the reader's language.
export function alertSentence(a: Alert, l: Lang): string {
  // A server of the older contract sends no metric: its English message is all there is.
  if (!a.metric) return a.message
  const vi = l === 'vi'
  const s = alertSubject(a)
  const fig = (v: number, signed = false) => formatFigure(v, a.unit, l, { metric: a.metric, signed })
  const detail = (k: string, signed = false) => {
    const d = a.details?.[k]
    return d ? formatFigure(d.value, d.unit, l, { signed }) : null
  }
  const win = minutes(a.window_sec)
  const up = a.direction ? a.direction === 'up' : a.value >= a.threshold
  switch (a.type) {
    case 'volume_spike': {
      const avg = detail('average')
      const mult = a.details?.multiple?.value ?? (a.details?.average?.value ? a.value / a.details.average.value : null)
      const m = mult === null ? null : fmtNumber(mult, l, 1)
      const lookback = a.details?.lookback_min?.value
      if (vi) {
        const of = avg ? ` trung bình${lookback ? ` ${lookback} phút trước` : ''} (${avg})` : ''
        return `${s} khối lượng đột biến: ${fig(a.value)} trong 1 phút${m ? `, gấp ${m} lần${of}` : ''}`
      }
      const of = avg ? ` the average${lookback ? ` of the previous ${lookback} minutes` : ''} (${avg})` : ''
      return `${s} volume spike: ${fig(a.value)} in one minute${m ? `, ${m}×${of}` : ''}`
    }
    case 'price_breakout':
      if (vi) return `${s} chạm giá ${up ? 'trần' : 'sàn'}: ${fig(a.value)}`
      return `${s} hit the ${up ? 'ceiling' : 'floor'}: ${fig(a.value)}`
    case 'foreign_acceleration': {
      const speed = detail('net_speed_val', true)
      const v = fig(a.value, true)
      if (vi)
        return `${s} khối ngoại tăng tốc ${up ? 'mua' : 'bán'} ròng: ${v}${speed ? ` (tốc độ ròng ${speed})` : ''}`
      return `${s} foreign net ${up ? 'buying' : 'selling'} accelerating: ${v}${speed ? ` (net speed ${speed})` : ''}`
    }
    case 'basis_divergence': {
      const pct = detail('basis_pct', true)
      const spot = a.details?.spot ? fmtNumber(a.details.spot.value, l) : null
      const price = a.details?.price ? fmtNumber(a.details.price.value, l) : null
      const tail = `${fig(a.value, true)}${pct ? ` (${pct})` : ''}`
      if (vi) {
        const vs = spot ? (price ? `, HĐ ${price} so với VN30 ${spot}` : `, VN30 ở ${spot}`) : ''
        return `${s} basis đảo sang ${up ? 'dương (premium)' : 'âm (discount)'}: ${tail}${vs}`
      }
      const vs = spot ? (price ? `, futures ${price} vs VN30 ${spot}` : `, VN30 at ${spot}`) : ''
      return `${s} basis flipped to ${up ? 'premium' : 'discount'}: ${tail}${vs}`
    }
    case 'velocity_divergence': {
      const imb = a.details?.imbalance_pct?.value
      const selling = imb !== undefined ? imb < 0 : a.value > 0
      const imbText = detail('imbalance_pct', true)
      const move = fig(a.value, true)
      if (vi) {
        const why = imbText ? ` (chênh lệch ${imbText})` : ''
        return `${s} giá ${move} trong ${win} phút trong khi dòng lệnh chủ động nghiêng về ${selling ? 'bán' : 'mua'}${why}`
      }
      const why = imbText ? ` (imbalance ${imbText})` : ''
      return `${s} price ${move} over ${win} min while active flow is ${selling ? 'selling' : 'buying'}${why}`
    }
    case 'imbalance_extreme': {
      const vol = detail('aggressed_vol')
      if (vi) {
        const of = vol ? ` (${vol} khớp chủ động)` : ''
        return `${s} ${up ? 'mua' : 'bán'} chủ động áp đảo: tỷ lệ mua chủ động ${fig(a.value)} trong ${win} phút${of}`
      }
      const of = vol ? ` (${vol} aggressed)` : ''
      return `${s} active ${up ? 'buying' : 'selling'} dominates: active-buy ratio ${fig(a.value)} over ${win} min${of}`
    }
    default: {
      const label = a.rule_name || (vi ? `Quy tắc #${a.rule_id}` : `Rule #${a.rule_id}`)
      const name = lowerFirst(metricName(a.metric, l, a.window_sec ? win : null))
      const signed = SIGNED_METRICS.has(a.metric)
      const c = a.comparison ?? '>='
      if (c === 'crosses_above' || c === 'crosses_below') {
        const above = c === 'crosses_above'
        const verb = vi ? (above ? 'vượt lên trên' : 'cắt xuống dưới') : above ? 'crossed above' : 'crossed below'
        return `${label}: ${s} ${name} ${verb} ${fig(a.threshold)} (${vi ? 'hiện' : 'now'} ${fig(a.value, signed)})`
      }
      return `${label}: ${s} ${name} ${fig(a.value, signed)} ${comparisonText(c, l)} ${fig(a.threshold)}`
    }
  }
}
