// Number formatting for the board (Vietnamese convention: prices in thousands of VND on the board).

// Intl.NumberFormat objects are costly to make: one per digit count, made once.
const formats = new Map<string, Intl.NumberFormat>()
const nf = (min: number, max: number) => {
  const k = `${min}:${max}`
  let f = formats.get(k)
  if (!f)
    formats.set(k, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: min, maximumFractionDigits: max })))
  return f
}
const nf0 = nf(0, 0)
const nf1 = nf(1, 1)
const nf2 = nf(2, 2)

export const DASH = '–'

// Digit grouping of a non-negative safe integer, as en-US Intl.NumberFormat writes it ("1,234,567"), without
// Intl: several times faster, and the board formats hundreds of numbers per update.
function grouped(n: number): string {
  const s = String(n)
  if (n < 1000) return s
  let out = ''
  let i = s.length % 3 || 3
  out = s.slice(0, i)
  for (; i < s.length; i += 3) out += ',' + s.slice(i, i + 3)
  return out
}

// Stock price in VND shown in thousands with 2 decimals: 24650 -> "24.65".
export function fmtPrice(vnd: number | null | undefined): string {
  if (vnd === null || vnd === undefined || vnd === 0) return DASH
  // Whole tens of VND (every listed price) are exact in hundredths of thousands: no Intl needed.
  if (vnd > 0 && vnd % 10 === 0 && Number.isSafeInteger(vnd)) {
    const c = vnd / 10
    const f = c % 100
    return `${grouped((c - f) / 100)}.${f < 10 ? '0' : ''}${f}`
  }
  return nf2.format(vnd / 1000)
}

// Index or futures points: 1898.98 -> "1,898.98".
export function fmtPoints(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  return nf(digits, digits).format(v)
}

// Signed figure: "+1.50", "-0.20", "0.00".
export function fmtSigned(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  const s = nf(digits, digits).format(Math.abs(v))
  return v > 0 ? `+${s}` : v < 0 ? `-${s}` : s
}

// Signed percent: "+0.61%".
export function fmtPct(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  return `${fmtSigned(v, digits)}%`
}

// Plain percent of a ratio in [0, 1]: 0.7041 -> "70.4%".
export function fmtRatio(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return DASH
  return `${nf1.format(r * 100)}%`
}

// Whole number with separators: 1234567 -> "1,234,567".
export function fmtInt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  if (v >= 0 && Number.isSafeInteger(v) && !Object.is(v, -0)) return grouped(v)
  return nf0.format(v)
}

// Compact volume: 950 -> "950", 12300 -> "12.3K", 4560000 -> "4.56M", 1.2e9 -> "1.20B".
export function fmtVol(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  const a = Math.abs(v)
  const sign = v < 0 ? '-' : ''
  if (a >= 1e9) return `${sign}${nf2.format(a / 1e9)}B`
  if (a >= 1e6) return `${sign}${nf2.format(a / 1e6)}M`
  if (a >= 1e4) return `${sign}${nf1.format(a / 1e3)}K`
  return `${sign}${nf0.format(a)}`
}

// VND in billions ("tỷ"): 1128970000 -> "1.13" (signed when asked).
export function fmtBn(vnd: number | null | undefined, signed = false): string {
  if (vnd === null || vnd === undefined || !Number.isFinite(vnd)) return DASH
  return signed ? fmtSigned(vnd / 1e9, 2) : nf2.format(vnd / 1e9)
}

// VND in billions with one decimal, for a column whose header names the unit: 1523440000000 -> "1,523.4".
export function fmtBn1(vnd: number | null | undefined): string {
  if (vnd === null || vnd === undefined || !Number.isFinite(vnd)) return DASH
  return nf1.format(vnd / 1e9)
}

// "2026-11-25T09:15:48" -> "09:15:48".
// An exchange instant as the server writes it, "YYYY-MM-DDTHH:MM:SS+07:00", as its clock reading "HH:MM:SS".
export function timeOf(iso: string | null | undefined): string {
  if (!iso) return DASH
  const t = iso.indexOf('T')
  return t >= 0 ? iso.slice(t + 1, t + 9) : iso
}

// "YYYY-MM-DDTHH:MM:SS+07:00" -> "HH:MM", the minute of an exchange instant.
export function minuteOf(iso: string): string {
  return iso.slice(11, 16)
}

// ---- units by language: tỷ / triệu / nghìn in Vietnamese (never "bn", "M" or "B"), bn / M / K in English ----
type UnitLang = 'vi' | 'en'
const SCALE_VI: [number, string][] = [
  [1e9, ' tỷ'],
  [1e6, ' triệu'],
  [1e4, ' nghìn'],
]
const SCALE_EN: [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e4, 'K'],
]

// Compact volume in the UI's language: 12300 -> "12.3 nghìn" / "12.3K"; 4560000 -> "4.56 triệu" / "4.56M".
export function fmtVolL(v: number | null | undefined, l: UnitLang): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return DASH
  const a = Math.abs(v)
  const sign = v < 0 ? '-' : ''
  for (const [k, u] of l === 'vi' ? SCALE_VI : SCALE_EN) {
    if (a >= k) return `${sign}${(k === 1e4 ? nf1 : nf2).format(a / (k === 1e4 ? 1e3 : k))}${u}`
  }
  return `${sign}${nf0.format(a)}`
}

// Money scaled: 1.13e9 VND -> "1.13 tỷ" / "1.13 bn"; 12.5e6 -> "12.50 triệu" / "12.50 mn".
export function fmtMoney(vnd: number | null | undefined, l: UnitLang, signed = false): string {
  if (vnd === null || vnd === undefined || !Number.isFinite(vnd)) return DASH
  const a = Math.abs(vnd)
  const [k, vi, en] = a >= 1e9 ? [1e9, 'tỷ', 'bn'] : a >= 1e6 ? [1e6, 'triệu', 'mn'] : [1, 'đ', 'VND']
  const n = k === 1 ? fmtInt(Math.round(a)) : nf2.format(a / k)
  const sign = vnd < 0 ? '-' : signed && vnd > 0 ? '+' : ''
  return `${sign}${n} ${l === 'vi' ? vi : en}`
}

// The unit word of billions of VND: "tỷ" / "bn".
export const bnWord = (l: UnitLang): string => (l === 'vi' ? 'tỷ' : 'bn')
