// Candle helpers for the chart page (pure, unit-tested).
import type { Candle } from '../../lib/model/types'

// "2026-11-25" + "09:15" -> seconds; the chart's axis is UTC, so exchange times show as Vietnam local time.
export function chartTime(date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number)
  const [hh, mm] = hhmm.split(':').map(Number)
  return Date.UTC(y, m - 1, d, hh, mm) / 1000
}

// Folds a live price at exchange time `time` ("YYYY-MM-DDTHH:MM:SS+07:00", and cumulative volume increments)
// into the candles: same minute updates the last candle, a later minute opens a new one.
export function foldLive(
  candles: Candle[],
  time: string,
  price: number,
  inc: { buy: number; sell: number; neutral: number } = { buy: 0, sell: 0, neutral: 0 },
): Candle[] {
  const last = candles[candles.length - 1]
  const vol = inc.buy + inc.sell + inc.neutral
  const minute = time.slice(0, 16) // "YYYY-MM-DDTHH:MM": candles start on the minute
  const lastMinute = last?.time.slice(0, 16)
  if (last && lastMinute === minute) {
    const c: Candle = {
      ...last,
      open: last.open ?? price,
      high: Math.max(last.high ?? price, price),
      low: Math.min(last.low ?? price, price),
      close: price,
      volume: last.volume + vol,
      active_buy_vol: last.active_buy_vol + inc.buy,
      active_sell_vol: last.active_sell_vol + inc.sell,
      neutral_vol: last.neutral_vol + inc.neutral,
    }
    return [...candles.slice(0, -1), c]
  }
  if (lastMinute !== undefined && lastMinute > minute) return candles
  return [
    ...candles,
    {
      symbol: last?.symbol ?? '',
      time: `${minute}:00${time.slice(19)}`,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: vol,
      active_buy_vol: inc.buy,
      active_sell_vol: inc.sell,
      neutral_vol: inc.neutral,
      value: 0,
      trade_count: 0,
      closed: false,
    },
  ]
}
