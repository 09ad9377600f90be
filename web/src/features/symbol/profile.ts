// Volume at price (pure, unit-tested): the levels of GET /api/market/volume-profile/{symbol} grouped into at
// most `maxRows` price bands (a futures day spans a hundred ticks), highest price first.
export interface ProfileLevel {
  price: number
  active_buy_vol: number
  active_sell_vol: number
  neutral_vol: number
}

export interface ProfileRow {
  price: number // the band's lowest price
  top: number // the band's highest price
  buy: number
  sell: number
  neutral: number
  total: number
}

export function bucketProfile(levels: ProfileLevel[], maxRows = 40): ProfileRow[] {
  const sorted = [...levels].sort((a, b) => a.price - b.price)
  if (sorted.length === 0) return []
  const per = Math.max(1, Math.ceil(sorted.length / maxRows))
  const rows: ProfileRow[] = []
  for (let i = 0; i < sorted.length; i += per) {
    const band = sorted.slice(i, i + per)
    const r: ProfileRow = {
      price: band[0].price,
      top: band[band.length - 1].price,
      buy: 0,
      sell: 0,
      neutral: 0,
      total: 0,
    }
    for (const l of band) {
      r.buy += l.active_buy_vol
      r.sell += l.active_sell_vol
      r.neutral += l.neutral_vol
    }
    r.total = r.buy + r.sell + r.neutral
    rows.push(r)
  }
  return rows.reverse()
}

// The band with the most volume (the point of control), or -1.
export function pocIndex(rows: ProfileRow[]): number {
  let best = -1
  for (let i = 0; i < rows.length; i++) if (best < 0 || rows[i].total > rows[best].total) best = i
  return best
}
