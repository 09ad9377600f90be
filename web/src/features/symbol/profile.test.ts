import { describe, expect, it } from 'vitest'
import { bucketProfile, pocIndex } from './profile'

const lv = (price: number, buy: number, sell = 0, neutral = 0) => ({
  price,
  active_buy_vol: buy,
  active_sell_vol: sell,
  neutral_vol: neutral,
})

describe('volume at price', () => {
  it('one row per level, highest price first, when they fit', () => {
    const rows = bucketProfile([lv(105400, 10, 5), lv(105600, 1, 1, 100), lv(105500, 30, 20)])
    expect(rows.map((r) => r.price)).toEqual([105600, 105500, 105400])
    expect(rows[0]).toMatchObject({ buy: 1, sell: 1, neutral: 100, total: 102 })
    expect(pocIndex(rows)).toBe(0)
  })
  it('bands of several levels when there are too many', () => {
    const levels = Array.from({ length: 100 }, (_, i) => lv(1800 + i / 10, 1))
    const rows = bucketProfile(levels, 40)
    expect(rows.length).toBeLessThanOrEqual(40)
    expect(rows.reduce((s, r) => s + r.total, 0)).toBe(100)
    expect(rows[0].top).toBeCloseTo(1809.9)
    expect(bucketProfile([], 40)).toEqual([])
    expect(pocIndex([])).toBe(-1)
  })
})
