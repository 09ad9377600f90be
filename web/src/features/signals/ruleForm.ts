// The rule editor's model, pure: thresholds typed in the board's unit (thousands of VND for stock prices, tỷ VND
// for money) and sent in the API's (VND); client checks and server errors as translated messages per field.
import { ApiError } from '../../lib/transport/api'
import { fmtNumber, formatFigure, isPriceMetric, metricUnit, type InstrumentKind } from '../../lib/model/alertText'
import type { Lang } from '../../lib/ui/i18n'
import type { AlertRule, Comparison, Frequency, Severity } from '../../lib/model/types'

export interface RuleForm {
  name: string
  symbol: string
  metric: string
  comparison: Comparison
  threshold: string // as typed, in the board's unit
  cooldown_sec: string
  severity: Severity
  frequency: Frequency
  window_min: string
  webhook_url: string
  enabled: boolean
}

export const EMPTY_FORM: RuleForm = {
  name: '',
  symbol: '',
  metric: 'last_price',
  comparison: '>=',
  threshold: '',
  cooldown_sec: '60',
  severity: 'warning',
  frequency: 'every_time',
  window_min: '5',
  webhook_url: '',
  enabled: true,
}

export type RuleField = Exclude<keyof RuleForm, 'enabled'>
export type FieldErrors = Partial<Record<RuleField | 'form', string>>

// A price rule on '*' is read as a stock price: one level shared by stocks and futures means nothing.
export const ruleKind = (k: InstrumentKind | 'all'): InstrumentKind => (k === 'all' ? 'stock' : k)

// Money units (values, net flow and its speed and acceleration), typed in tỷ VND as the board shows them.
const MONEY = new Set(['vnd', 'vnd_per_min', 'vnd_per_min2'])

// How many API units one typed unit is: 1000 for stock prices (the board shows thousands of VND), 1e9 for money
// (tỷ VND: 1,19 is 1 190 000 000 VND).
export function thresholdScale(metric: string, kind: InstrumentKind | 'all'): number {
  const k = ruleKind(kind)
  if (isPriceMetric(metric)) return k === 'stock' ? 1000 : 1
  return MONEY.has(metricUnit(metric, k) ?? '') ? 1e9 : 1
}

// The typed threshold in the API's unit. Money is rounded to whole VND; the rest to 12 significant digits
// (105,5 x 1000 is 105499.99999999999 in binary floating point).
export function thresholdToApi(typed: number, metric: string, kind: InstrumentKind | 'all'): number {
  const scale = thresholdScale(metric, kind)
  if (scale === 1e9) return Math.round(typed * scale) || 0
  return Number((typed * scale).toPrecision(12))
}

// A number typed either way: "105,5" and "105.5" are 105.5; "1.000.000" and "1,000,000" are grouped thousands;
// "1.234,5" and "1,234.5": the last separator is the decimal point. With `wholeUnits` (volumes, money, counts),
// a single separator before exactly three digits groups too: "100.000" shares is a hundred thousand.
export function parseDecimal(text: string, wholeUnits = false): number | null {
  let s = text.replace(/[\s\u00a0_]/g, '')
  if (!/^[+-]?(\d|[.,]\d)[\d.,]*$/.test(s)) return null
  const dots = (s.match(/\./g) ?? []).length
  const commas = (s.match(/,/g) ?? []).length
  if (dots && commas) {
    const point = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ','
    s = s
      .split(point === '.' ? ',' : '.')
      .join('')
      .replace(',', '.')
  } else if (dots + commas > 1) {
    s = s.replace(/[.,]/g, '')
  } else if (dots + commas === 1) {
    const [int, frac] = s.split(/[.,]/)
    s = wholeUnits && frac.length === 3 && /[1-9]/.test(int) ? int + frac : `${int}.${frac}`
  }
  const v = Number(s)
  return Number.isFinite(v) ? v : null
}

// Units counted in whole numbers, where "100.000" can only mean grouping (money is typed in tỷ, with decimals).
const WHOLE = new Set(['shares', 'contracts', 'shares_per_min', 'count'])
export function isWholeUnit(metric: string, kind: InstrumentKind | 'all'): boolean {
  return thresholdScale(metric, kind) === 1 && WHOLE.has(metricUnit(metric, ruleKind(kind)) ?? '')
}

// The API's threshold shown in the board's unit for editing, without grouping (so it reads back the same).
// Money keeps nine decimals of tỷ (whole VND); written out in full, never in exponent notation.
export function thresholdInput(apiValue: number, metric: string, kind: InstrumentKind | 'all', l: Lang): string {
  const scale = thresholdScale(metric, kind)
  let s = (apiValue / scale).toFixed(scale === 1e9 ? 9 : 6)
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  if (/^-0$/.test(s)) s = '0'
  return l === 'vi' ? s.replace('.', ',') : s
}

// The word after the threshold box: "nghìn VND", "tỷ VND", "điểm", "cp"...
export function thresholdUnit(metric: string, kind: InstrumentKind | 'all', l: Lang): string {
  const vi = l === 'vi'
  const k = ruleKind(kind)
  if (thresholdScale(metric, kind) === 1000) return vi ? 'nghìn VND' : 'thousand VND'
  switch (metricUnit(metric, k)) {
    case 'vnd':
      return vi ? 'tỷ VND' : 'bn VND'
    case 'vnd_per_min':
      return vi ? 'tỷ VND/phút' : 'bn VND/min'
    case 'vnd_per_min2':
      return vi ? 'tỷ VND/phút²' : 'bn VND/min²'
    case 'points':
      return vi ? 'điểm' : 'points'
    case 'shares':
      return vi ? 'cp' : 'shares'
    case 'contracts':
      return vi ? 'HĐ' : 'contracts'
    case 'shares_per_min':
      return vi ? 'cp/phút' : 'shares/min'
    case 'percent':
      return '%'
    case 'multiple':
      return vi ? 'lần' : '×'
    default:
      return ''
  }
}

// A rule's threshold as a trader reads it ("105,5", "1,19 tỷ", "70%").
export function thresholdText(
  r: Pick<AlertRule, 'metric' | 'threshold'>,
  kind: InstrumentKind | 'all',
  l: Lang,
): string {
  return formatFigure(r.threshold, metricUnit(r.metric, ruleKind(kind)), l, { metric: r.metric })
}

// What the typed threshold means in the API's unit, when it is scaled or large: "= 105.500 VND",
// "= 1.190.000.000 VND" (1,19 tỷ), "= 12.500 cp".
export function thresholdEcho(apiValue: number, metric: string, kind: InstrumentKind | 'all', l: Lang): string | null {
  const k = ruleKind(kind)
  const scale = thresholdScale(metric, kind)
  if (scale === 1000) return `= ${fmtNumber(apiValue, l)} VND`
  const unit = metricUnit(metric, k)
  if (scale === 1e9) {
    const per =
      unit === 'vnd_per_min'
        ? l === 'vi'
          ? '/phút'
          : '/min'
        : unit === 'vnd_per_min2'
          ? l === 'vi'
            ? '/phút²'
            : '/min²'
          : ''
    return `= ${fmtNumber(apiValue, l, 0)} VND${per}`
  }
  if (Math.abs(apiValue) < 10000) return null
  return `= ${formatFigure(apiValue, unit, l, { metric })}`
}

type Pair = readonly [string, string]
const say = (p: Pair, l: Lang) => p[l === 'vi' ? 0 : 1]

const FIELD_ERRORS: Record<string, Pair> = {
  symbol: [
    'Mã không tồn tại: nhập mã cổ phiếu, mã hoặc bí danh hợp đồng (VN30F1M), chỉ số (VN30) hay *',
    'Unknown symbol: enter a ticker, a futures code or alias (VN30F1M), an index (VN30) or *',
  ],
  metric: ['Chỉ tiêu không hợp lệ', 'Unknown metric'],
  comparison: ['Phép so sánh không hợp lệ', 'Invalid comparison'],
  threshold: ['Ngưỡng phải là một số (tối đa 10^15)', 'The threshold must be a number (at most 10^15)'],
  cooldown_sec: ['Giãn cách là số giây, từ 0 trở lên', 'The cooldown is a number of seconds, 0 or more'],
  severity: ['Mức độ không hợp lệ', 'Invalid severity'],
  frequency: ['Tần suất không hợp lệ', 'Invalid frequency'],
  window_min: ['Cửa sổ từ 1 đến 60 phút', 'The window is 1 to 60 minutes'],
  webhook_url: ['Webhook phải là địa chỉ http:// hoặc https://', 'The webhook must be an http:// or https:// URL'],
  name: ['Tên không hợp lệ (quá dài?)', 'Invalid name (too long?)'],
}
const CODE_ERRORS: Record<string, Pair> = {
  rule_limit: ['Đã đạt số quy tắc tối đa: hãy xoá bớt một quy tắc', 'Rule limit reached: delete a rule first'],
  store_unavailable: ['Không lưu được quy tắc vào kho dữ liệu', 'The rule could not be saved in the store'],
  unknown_rule: ['Quy tắc không còn tồn tại', 'The rule no longer exists'],
}

// A failed request as a translated message, placed on the field the server names (else on the form).
export function errorFor(e: unknown, l: Lang): FieldErrors {
  if (!(e instanceof ApiError)) return { form: say(['Không kết nối được máy chủ', 'Cannot reach the server'], l) }
  if (e.field && e.field in FIELD_ERRORS) return { [e.field as RuleField]: say(FIELD_ERRORS[e.field], l) }
  if (e.code && e.code in CODE_ERRORS) return { form: say(CODE_ERRORS[e.code], l) }
  if (e.status === 400) return { form: say(['Quy tắc không hợp lệ', 'Invalid rule'], l) }
  return { form: say([`Lỗi máy chủ (HTTP ${e.status})`, `Server error (HTTP ${e.status})`], l) }
}

// The request body of a form, or the fields the client can already tell are wrong.
export function ruleBody(
  f: RuleForm,
  kind: InstrumentKind | 'all',
  l: Lang,
): { body: Omit<AlertRule, 'id'>; errors?: undefined } | { body?: undefined; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const typed = parseDecimal(f.threshold, isWholeUnit(f.metric, kind))
  if (typed === null) errors.threshold = say(FIELD_ERRORS.threshold, l)
  const cooldown = f.cooldown_sec.trim() === '' ? 0 : Number(f.cooldown_sec)
  if (!Number.isInteger(cooldown) || cooldown < 0) errors.cooldown_sec = say(FIELD_ERRORS.cooldown_sec, l)
  const window = Number(f.window_min)
  if (!Number.isInteger(window) || window < 1 || window > 60) errors.window_min = say(FIELD_ERRORS.window_min, l)
  const url = f.webhook_url.trim()
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) errors.webhook_url = say(FIELD_ERRORS.webhook_url, l)
  if (Object.keys(errors).length) return { errors }
  return {
    body: {
      name: f.name.trim(),
      metric: f.metric,
      symbol: f.symbol.trim().toUpperCase() || '*',
      comparison: f.comparison,
      threshold: thresholdToApi(typed!, f.metric, kind),
      cooldown_sec: cooldown,
      enabled: f.enabled,
      severity: f.severity,
      frequency: f.frequency,
      window_min: window,
      webhook_url: url,
    },
  }
}

// A stored rule loaded into the form for editing.
export function ruleToForm(r: AlertRule, kind: InstrumentKind | 'all', l: Lang): RuleForm {
  return {
    name: r.name,
    symbol: r.symbol === '*' ? '' : r.symbol,
    metric: r.metric,
    comparison: r.comparison,
    threshold: thresholdInput(r.threshold, r.metric, kind, l),
    cooldown_sec: String(r.cooldown_sec),
    severity: r.severity,
    frequency: r.frequency ?? 'every_time',
    window_min: String(r.window_min ?? 5),
    webhook_url: r.webhook_url ?? '',
    enabled: r.enabled,
  }
}
