import { describe, expect, it } from 'vitest'
import { contributionRows, tileColor, treemap, type HeatTile } from './overview'

const tile = (p: Partial<HeatTile>): HeatTile => ({
  symbol: 'FPT',
  seen: true,
  ref: 100000,
  last: 100000,
  ceiling: 107000,
  floor: 93000,
  traded: true,
  change_pct: 0,
  volume: 0,
  value: 0,
  foreign_net_vol: null,
  foreign_net_val: null,
  contribution: null,
  weight: 0,
  ...p,
})

describe('treemap', () => {
  it('areas are proportional to the sizes and the rectangles fill the box without overlap', () => {
    const sizes = [60, 30, 25, 20, 10, 5, 0]
    const box = { x: 0, y: 0, w: 300, h: 200 }
    const r = treemap(sizes, box)
    const total = 150
    for (let i = 0; i < 6; i++) expect(r[i].w * r[i].h).toBeCloseTo((sizes[i] / total) * 60000, 6)
    expect(r[6]).toMatchObject({ w: 0, h: 0 })
    for (const a of r) {
      expect(a.x).toBeGreaterThanOrEqual(-1e-9)
      expect(a.y).toBeGreaterThanOrEqual(-1e-9)
      expect(a.x + a.w).toBeLessThanOrEqual(300 + 1e-9)
      expect(a.y + a.h).toBeLessThanOrEqual(200 + 1e-9)
    }
    for (let i = 0; i < 6; i++)
      for (let j = i + 1; j < 6; j++) {
        const [a, b] = [r[i], r[j]]
        const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)
        const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y)
        expect(ox <= 1e-9 || oy <= 1e-9).toBe(true)
      }
  })

  it('nothing to lay out gives empty rectangles', () => {
    expect(treemap([0, 0], { x: 0, y: 0, w: 10, h: 10 })).toEqual([
      { x: 0, y: 0, w: 0, h: 0 },
      { x: 0, y: 0, w: 0, h: 0 },
    ])
  })
})

describe('tile colours', () => {
  it('follow the board: up green, down red, unchanged yellow, ceiling purple, floor cyan', () => {
    expect(tileColor(tile({ change_pct: 0 }), 'change')).toBe('rgb(161, 98, 7)')
    expect(tileColor(tile({ last: 107000, change_pct: 7 }), 'change')).toBe('rgb(192, 38, 211)')
    expect(tileColor(tile({ last: 93000, change_pct: -7 }), 'change')).toBe('rgb(6, 182, 212)')
    expect(tileColor(tile({ last: 105000, change_pct: 5 }), 'change')).toBe('rgb(34, 197, 94)')
    expect(tileColor(tile({ last: 95000, change_pct: -5 }), 'change')).toBe('rgb(239, 68, 68)')
  })
  it('by foreign net value, scaled to the largest', () => {
    expect(tileColor(tile({ foreign_net_val: 2e9 }), 'foreign', 2e9)).toBe('rgb(34, 197, 94)')
    expect(tileColor(tile({ foreign_net_val: -2e9 }), 'foreign', 2e9)).toBe('rgb(239, 68, 68)')
    expect(tileColor(tile({ foreign_net_val: null }), 'foreign', 2e9)).toBe('rgb(71, 85, 105)')
  })
})

describe('contribution rows', () => {
  it('largest gain first, unknown left out', () => {
    const rows = contributionRows([
      tile({ symbol: 'A', contribution: -1.5 }),
      tile({ symbol: 'B', contribution: 2 }),
      tile({ symbol: 'C', contribution: null }),
      tile({ symbol: 'D', contribution: 0 }),
    ])
    expect(rows.map((r) => r.symbol)).toEqual(['B', 'D', 'A'])
  })
})
