import { useEffect, useMemo, useRef, useState } from 'react'
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts'
import { api } from '../../lib/api'
import { chartTime, foldLive } from '../../lib/candles'
import { futures, indices, meta, onMarketMessage, symbols } from '../../lib/market'
import { useValue, useSyncKeys } from '../../lib/hooks'
import { useKey } from '../../lib/store'
import { fmtInt, fmtPct, fmtPoints, fmtPrice, fmtVol } from '../../lib/format'
import { priceTone, signTone, toneClass } from '../../lib/colors'
import { useT } from '../../lib/i18n'
import type { Candle } from '../../lib/types'

const UP = '#22c55e'
const DOWN = '#ef4444'

type Instrument = { id: string; label: string; kind: 'stock' | 'index' | 'futures' }

// Closed minutes from the server's engine (VN30: the index's own minute prices with the basket's flow).
async function loadCandles(inst: Instrument): Promise<Candle[]> {
  return (await api<{ candles: Candle[] }>(`/api/market/candles/${encodeURIComponent(inst.id)}`)).candles
}

// The price of an instrument now, and the minute of that price.
function livePoint(inst: Instrument): { price: number; minute: string } | null {
  if (inst.kind === 'stock') {
    const s = symbols.get(inst.id)
    return s?.last_price && s.time ? { price: s.last_price, minute: s.time.slice(11, 16) } : null
  }
  if (inst.kind === 'index') {
    const x = indices.get('VN30')
    return x?.value && x.time ? { price: x.value, minute: x.time.slice(11, 16) } : null
  }
  const f = futures.get().find((c) => c.alias === inst.id || c.symbol === inst.id)
  return f?.last && f.time ? { price: f.last, minute: f.time.slice(11, 16) } : null
}

function CandleChart({ inst }: { inst: Instrument }) {
  const t = useT()
  const box = useRef<HTMLDivElement>(null)
  const chartRef = useRef<{ chart: IChartApi; c: ISeriesApi<'Candlestick'>; all: ISeriesApi<'Histogram'>; buy: ISeriesApi<'Histogram'>; sell: ISeriesApi<'Histogram'> } | null>(null)
  const [candles, setCandles] = useState<Candle[] | null>(null)
  const fitted = useRef(false)
  const [error, setError] = useState<string | null>(null)
  const date = useValue(meta).trading_date

  useEffect(() => {
    const el = box.current!
    const chart = createChart(el, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#0b1220' }, textColor: '#94a3b8', attributionLogo: true },
      grid: { vertLines: { color: '#1e2a44' }, horzLines: { color: '#1e2a44' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#1e2a44', barSpacing: 12, rightOffset: 4 },
      rightPriceScale: { borderColor: '#1e2a44' },
    })
    const c = chart.addSeries(CandlestickSeries, {
      // Stock prices in thousands of VND, as on the board; index and futures points as they are.
      priceFormat:
        inst.kind === 'stock'
          ? { type: 'custom', formatter: (p: number) => (p / 1000).toFixed(2), minMove: 10 }
          : { type: 'price', precision: inst.kind === 'futures' ? 1 : 2, minMove: inst.kind === 'futures' ? 0.1 : 0.01 },
      upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN,
    })
    // Volume pane: grey = all volume (incl. neutral auction prints), green = active buy (up), red = active sell (down).
    const hist = { priceFormat: { type: 'volume' as const }, lastValueVisible: false, priceLineVisible: false }
    const all = chart.addSeries(HistogramSeries, { ...hist, color: '#475569' }, 1)
    const buy = chart.addSeries(HistogramSeries, { ...hist, color: UP }, 1)
    const sell = chart.addSeries(HistogramSeries, { ...hist, color: DOWN }, 1)
    chart.panes()[1]?.setHeight(150)
    chartRef.current = { chart, c, all, buy, sell }
    return () => {
      chart.remove()
      chartRef.current = null
    }
  }, [])

  // History from REST, refreshed every 5 s (exact aggressor split of the open minute) ...
  useEffect(() => {
    let alive = true
    setCandles(null)
    setError(null)
    const load = () =>
      loadCandles(inst)
        .then((c) => alive && setCandles(c))
        .catch((e) => alive && setError(String(e.message ?? e)))
    load()
    const id = setInterval(load, 5000)
    return () => {
      alive = false
      clearInterval(id)
    }
  }, [inst.id, date])

  // ... and the current minute's price live from the WebSocket.
  useEffect(() => {
    let prevCum: { buy: number; sell: number; neutral: number } | null = null
    // The cumulative aggressor split of a stock or a contract; the live minute grows by its increments.
    const cum = () => {
      const s = inst.kind === 'stock' ? symbols.get(inst.id) : inst.kind === 'futures' ? futures.get().find((c) => c.alias === inst.id || c.symbol === inst.id) : undefined
      return s ? { buy: s.active_buy_vol, sell: s.active_sell_vol, neutral: s.neutral_vol } : null
    }
    prevCum = cum()
    return onMarketMessage(() => {
      const p = livePoint(inst)
      if (!p) return
      let inc = { buy: 0, sell: 0, neutral: 0 }
      const now = cum()
      if (now && prevCum) inc = { buy: now.buy - prevCum.buy, sell: now.sell - prevCum.sell, neutral: now.neutral - prevCum.neutral }
      prevCum = now
      setCandles((cs) => (cs ? foldLive(cs, p.minute, p.price, inc) : cs))
    })
  }, [inst.id])

  useEffect(() => {
    const r = chartRef.current
    if (!r || !candles || !date) return
    const withPrice = candles.filter((c) => c.open !== null && c.close !== null)
    r.c.setData(
      withPrice.map((c) => ({ time: chartTime(date, c.time) as UTCTimestamp, open: c.open!, high: c.high!, low: c.low!, close: c.close! })),
    )
    r.all.setData(candles.map((c) => ({ time: chartTime(date, c.time) as UTCTimestamp, value: c.volume })))
    r.buy.setData(candles.map((c) => ({ time: chartTime(date, c.time) as UTCTimestamp, value: c.active_buy_vol })))
    r.sell.setData(candles.map((c) => ({ time: chartTime(date, c.time) as UTCTimestamp, value: -c.active_sell_vol })))
    if (!fitted.current && candles.length > 0) {
      fitted.current = true
      if (candles.length > 60) r.chart.timeScale().fitContent()
    }
  }, [candles, date])

  const last = candles?.[candles.length - 1]
  return (
    <div className="card flex flex-col gap-2">
      <div className="flex items-center gap-4 text-xs text-slate-400">
        <span>{t('history')}</span>
        {last ? (
          <span className="num" data-testid="chart-last">
            {last.time} O {fmtN(inst, last.open)} H {fmtN(inst, last.high)} L {fmtN(inst, last.low)} C{' '}
            <b className="text-slate-100">{fmtN(inst, last.close)}</b> · {t('vol')} {fmtVol(last.volume)} ·{' '}
            <span className="text-up">{t('buyVol')} {fmtVol(last.active_buy_vol)}</span> ·{' '}
            <span className="text-down">{t('sellVol')} {fmtVol(last.active_sell_vol)}</span>
          </span>
        ) : null}
        <span className="ml-auto" data-testid="chart-count">
          {candles ? `${candles.length} × 1m` : error ? error : t('loading')}
        </span>
      </div>
      <div ref={box} className="h-[640px]" data-testid="chart" />
    </div>
  )
}

const fmtN = (inst: Instrument, v: number | null) => (inst.kind === 'stock' ? fmtPrice(v) : fmtPoints(v, inst.kind === 'futures' ? 1 : 2))

function Quote({ inst }: { inst: Instrument }) {
  const t = useT()
  const s = useKey(symbols, inst.id)
  const x = useKey(indices, 'VN30')
  const fs = useValue(futures)
  if (inst.kind === 'stock') {
    if (!s) return null
    const tone = toneClass[priceTone(s.last_price, s.ref_price, s.ceiling, s.floor)]
    return (
      <span className={`num ${tone}`}>
        {fmtPrice(s.last_price)} {fmtPct(s.change_pct)} · {t('totalVol')} {fmtInt(s.total_vol)}
      </span>
    )
  }
  if (inst.kind === 'index') {
    return x ? <span className={`num ${toneClass[signTone(x.change)]}`}>{fmtPoints(x.value)} {fmtPct(x.change_pct)}</span> : null
  }
  const f = fs.find((c) => c.alias === inst.id)
  return f ? (
    <span className={`num ${toneClass[signTone(f.change)]}`}>
      {f.symbol} {fmtPoints(f.last, 1)} {fmtPct(f.change_pct)} · basis {fmtPoints(f.basis)}
    </span>
  ) : null
}

export default function ChartsPage() {
  const t = useT()
  const keys = useSyncKeys()
  const fut = useValue(futures)
  const options = useMemo<Instrument[]>(() => {
    const stocks = keys.filter((k) => symbols.get(k)?.kind !== 'futures').sort()
    return [
      { id: 'VN30', label: 'VN30 index', kind: 'index' as const },
      ...fut.map((f) => ({ id: f.alias ?? f.symbol, label: `${f.alias} (${f.symbol})`, kind: 'futures' as const })),
      ...stocks.map((s) => ({ id: s, label: s, kind: 'stock' as const })),
    ]
  }, [keys.length, fut.length])
  const [sel, setSel] = useState(() => new URLSearchParams(location.search).get('symbol') ?? 'VN30')
  const inst = options.find((o) => o.id === sel) ?? { id: sel, label: sel, kind: 'stock' as const }
  return (
    <div className="flex flex-col gap-2">
      <div className="flex items-center gap-3 text-sm">
        <label className="text-slate-400">{t('instrument')}</label>
        <select
          value={sel}
          data-testid="chart-symbol"
          onChange={(e) => {
            setSel(e.target.value)
            history.replaceState(null, '', `/charts?symbol=${e.target.value}`)
          }}
        >
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        <Quote inst={inst} />
      </div>
      <CandleChart key={inst.id} inst={inst} />
    </div>
  )
}
