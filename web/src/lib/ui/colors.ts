// Vietnamese board colours: green up, red down, yellow reference, purple ceiling, cyan floor.

export type Tone = 'up' | 'down' | 'ref' | 'ceil' | 'floor' | 'none'

// The tone of a price against the day's reference, ceiling and floor.
export function priceTone(
  price: number | null | undefined,
  ref: number | null | undefined,
  ceiling?: number | null,
  floor?: number | null,
): Tone {
  if (price === null || price === undefined || price === 0 || !ref) return 'none'
  if (ceiling && price >= ceiling) return 'ceil'
  if (floor && price <= floor) return 'floor'
  if (price > ref) return 'up'
  if (price < ref) return 'down'
  return 'ref'
}

// The tone of a signed change (indices, basis, net flows).
export function signTone(v: number | null | undefined): Tone {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'none'
  return v > 0 ? 'up' : v < 0 ? 'down' : 'ref'
}

export const toneClass: Record<Tone, string> = {
  up: 'text-up',
  down: 'text-down',
  ref: 'text-ref',
  ceil: 'text-ceil',
  floor: 'text-floor',
  none: 'text-slate-400',
}

export const toneHex: Record<Tone, string> = {
  up: '#22c55e',
  down: '#ef4444',
  ref: '#eab308',
  ceil: '#c084fc',
  floor: '#22d3ee',
  none: '#94a3b8',
}
