// The price chart of a stock, a futures contract or an index (lightweight-charts): candles at 1m/5m/15m/1h/1D
// over a date range, VWAP and MA20, the day's reference / ceiling / floor lines, a volume pane stacked by
// aggressor that never goes below zero, and an OHLC legend that follows the crosshair.
// Today comes from memory (GET /api/market/candles, the current minute live; other timeframes aggregated here,
// so they work without a store); other days from the history store (GET /api/history/{symbol}/candles, or
// /api/history/index/{name} for an index), and a 503 there says the server keeps no history.
import { useEffect, useMemo, useRef, useState } from 'react'
import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  LineSeries,
  LineStyle,
  createChart,
  type AutoscaleInfo,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type UTCTimestamp,
  type WhitespaceData,
} from 'lightweight-charts'
import { api, ApiError } from '../../lib/transport/api'
import { foldLive } from './candles'
import { futures, indexSeries, indices, meta, onMarketMessage, symbols } from '../../lib/state/market'
import { useKey, useValue } from '../../lib/state/store'
import { fmtPct, fmtPoints, fmtPrice, fmtVolL } from '../../lib/ui/format'
import { lang, useT, type Key, type Lang } from '../../lib/ui/i18n'
import { cssVar, useTheme } from '../../lib/state/theme'
import { csvUrl } from '../../lib/ui/csv'
import { ExportCsv } from '../../components/ExportCsv'
import {
  TIMEFRAMES,
  addDays,
  aggregate,
  barsFromHistory,
  barsFromPoints,
  barsFromToday,
  chartLabel,
  isoToChart,
  smaLine,
  volumeStacks,
  vwapLine,
  type Bar,
  type HistoryCandle,
  type Timeframe,
} from '../../lib/model/bars'
import type { Candle } from '../../lib/model/types'
import type { IndexHistoryRow } from './api'
import type { InstKind } from './resolve'

export interface ChartInstrument {
  name: string // shown and used in the URL
  apiId: string // what the REST API takes (a contract's KRX code)
  kind: InstKind
}

export interface DayLines {
  ref?: number | null
  ceiling?: number | null
  floor?: number | null
}

type Source =
  | { state: 'loading' }
  | { state: 'ok'; bars: Bar[]; history: boolean }
  | { state: 'unavailable' } // 503: no history store
  | { state: 'unknown' } // 404: no such symbol today
  | { state: 'error'; message: string }

const fmtFor = (kind: InstKind) => (v: number | null | undefined) =>
  kind === 'stock' ? fmtPrice(v) : fmtPoints(v, kind === 'futures' ? 1 : 2)

// Whitespace for the rest of today's session, so the day's bars start on the left instead of being squeezed
// at the right edge: 09:00-11:30 and 13:00-14:45, in steps of the timeframe.
export function sessionWhitespace(date: string, tf: Timeframe, after: number): number[] {
  if (tf === '1d') return []
  const step = { '1m': 60, '5m': 300, '15m': 900, '1h': 3600 }[tf]
  const out: number[] = []
  for (const [a, b] of [
    ['09:00', '11:30'],
    ['13:00', '14:45'],
  ]) {
    const end = isoToChart(`${date}T${b}:00`)
    for (let t = isoToChart(`${date}T${a}:00`); t <= end; t += step) if (t > after) out.push(t)
  }
  return out
}

function useBars(inst: ChartInstrument, tf: Timeframe, from: string, to: string, today: string | null): Source {
  const [src, setSrc] = useState<Source>({ state: 'loading' })
  const isToday = !!today && from === today && to === today
  const series = useKey(indexSeries, inst.apiId)
  const liveIndexSeries = isToday && inst.kind === 'index' && inst.apiId !== 'VN30'
  const [candles, setCandles] = useState<Candle[] | null>(null)

  // Today from memory: the engine's 1-minute candles, refreshed every 5 s, the current minute live.
  useEffect(() => {
    if (!isToday || liveIndexSeries) return
    let alive = true
    setCandles(null)
    setSrc({ state: 'loading' })
    const load = () =>
      api<{ candles: Candle[] }>(`/api/market/candles/${encodeURIComponent(inst.apiId)}`)
        .then((r) => alive && setCandles(r.candles))
        .catch(
          (e) =>
            alive &&
            setSrc(
              e instanceof ApiError && e.status === 404
                ? { state: 'unknown' }
                : { state: 'error', message: String(e?.message ?? e) },
            ),
        )
    load()
    const id = setInterval(load, 5000)
    let prev = cumulative(inst)
    const off = onMarketMessage(() => {
      const p = livePoint(inst)
      if (!p) return
      const now = cumulative(inst)
      const inc =
        now && prev
          ? { buy: now.buy - prev.buy, sell: now.sell - prev.sell, neutral: now.neutral - prev.neutral }
          : undefined
      prev = now
      setCandles((cs) => (cs ? foldLive(cs, p.time, p.price, inc) : cs))
    })
    return () => {
      alive = false
      clearInterval(id)
      off()
    }
    // Keyed by the instrument's id: a new `inst` object for the same instrument must not restart the feed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [inst.apiId, isToday, liveIndexSeries, today])

  useEffect(() => {
    if (isToday && !liveIndexSeries && candles && today)
      setSrc({ state: 'ok', bars: aggregate(barsFromToday(candles), tf), history: false })
    // Runs on new candles only: switching instrument resets the candles first (the effect above).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [candles, tf, isToday, today])

  // An index other than VN30 today: its minute series from /ws/index.
  useEffect(() => {
    if (!liveIndexSeries || !today) return
    const pts = (series ?? []).map(([t, v]) => ({ time: t, value: v }))
    setSrc({ state: 'ok', bars: barsFromPoints(pts, tf), history: false })
  }, [liveIndexSeries, series, tf, today])

  // Other days from the history store; refreshed every 30 s when the range reaches today.
  useEffect(() => {
    if (isToday || !today) return
    let alive = true
    setSrc({ state: 'loading' })
    const load = () => {
      const id = encodeURIComponent(inst.apiId)
      const req =
        inst.kind === 'index'
          ? historyPages<IndexHistoryRow>(`/api/history/index/${id}`, {}, from, to).then((rows) =>
              barsFromPoints(rows, tf),
            )
          : historyPages<HistoryCandle>(`/api/history/${id}/candles`, { interval: tf }, from, to).then(barsFromHistory)
      req
        .then((bars) => alive && setSrc({ state: 'ok', bars, history: true }))
        .catch((e) => {
          if (!alive) return
          if (e instanceof ApiError && e.status === 503) setSrc({ state: 'unavailable' })
          else if (e instanceof ApiError && e.status === 404) setSrc({ state: 'unknown' })
          else setSrc({ state: 'error', message: String(e?.message ?? e) })
        })
    }
    load()
    const id = to >= today ? setInterval(load, 30000) : null
    return () => {
      alive = false
      if (id) clearInterval(id)
    }
  }, [inst.apiId, inst.kind, tf, from, to, isToday, today])

  return src
}

// The history API answers at most 10,000 rows, oldest first: a long range is read page after page (each from
// the second after the previous page's last row), up to 20 pages.
export const HISTORY_PAGE = 10000
export async function historyPages<T extends { time: string }>(
  path: string,
  params: Record<string, string>,
  from: string,
  to: string,
  get: <R>(url: string) => Promise<R> = api,
): Promise<T[]> {
  const out: T[] = []
  let start = from
  for (let page = 0; page < 20; page++) {
    const q = new URLSearchParams({ ...params, from: start, to: `${to}T23:59:59`, limit: String(HISTORY_PAGE) })
    const rows = await get<T[]>(`${path}?${q}`)
    out.push(...rows)
    if (rows.length < HISTORY_PAGE) break
    const last = rows[rows.length - 1].time
    start = new Date(isoToChart(last) * 1000 + 1000).toISOString().slice(0, 19) // the exchange's local time, as written
  }
  return out
}

function cumulative(inst: ChartInstrument): { buy: number; sell: number; neutral: number } | null {
  const s =
    inst.kind === 'stock'
      ? symbols.get(inst.apiId)
      : inst.kind === 'futures'
        ? futures.get().find((c) => c.krx_code === inst.apiId)
        : undefined
  return s ? { buy: s.active_buy_vol, sell: s.active_sell_vol, neutral: s.neutral_vol } : null
}

// The instrument's live price and its exchange time ("YYYY-MM-DDTHH:MM:SS+07:00").
function livePoint(inst: ChartInstrument): { price: number; time: string } | null {
  if (inst.kind === 'stock') {
    const s = symbols.get(inst.apiId)
    return s?.last_price && s.time ? { price: s.last_price, time: s.time } : null
  }
  if (inst.kind === 'index') {
    const x = indices.get(inst.apiId)
    return x?.value && x.time ? { price: x.value, time: x.time } : null
  }
  const f = futures.get().find((c) => c.krx_code === inst.apiId)
  return f?.last && f.time ? { price: f.last, time: f.time } : null
}

interface Chart {
  chart: IChartApi
  candles: ISeriesApi<'Candlestick'>
  vwap: ISeriesApi<'Line'>
  ma: ISeriesApi<'Line'>
  all: ISeriesApi<'Histogram'>
  directed: ISeriesApi<'Histogram'>
  buy: ISeriesApi<'Histogram'>
  lines: IPriceLine[]
}

// The legend's text for one bar (pure, tested through the DOM in the e2e).
export function legendText(
  b: Bar,
  prevClose: number | null,
  vwap: number | null,
  kind: InstKind,
  daily: boolean,
  l: Lang,
  t: (k: Key) => string,
): string {
  const f = fmtFor(kind)
  const chg = prevClose ? ((b.close - prevClose) / prevClose) * 100 : null
  const parts = [
    `${chartLabel(b.time, daily)}`,
    `${t('o')} ${f(b.open)}  ${t('h')} ${f(b.high)}  ${t('l')} ${f(b.low)}  ${t('c')} ${f(b.close)}${chg === null ? '' : ` (${fmtPct(chg)})`}`,
    `${t('vol')} ${fmtVolL(b.volume, l)}` +
      (b.buy + b.sell > 0 ? ` · ${t('buyTitle')} ${fmtVolL(b.buy, l)} · ${t('sellTitle')} ${fmtVolL(b.sell, l)}` : ''),
  ]
  if (vwap !== null) parts.push(`VWAP ${f(vwap)}`)
  return parts.join('   ')
}

export function PriceChart({
  inst,
  lines,
  height = 460,
}: {
  inst: ChartInstrument
  lines?: DayLines
  height?: number
}) {
  const t = useT()
  const themeName = useTheme()
  const today = useValue(meta).trading_date
  const [tf, setTf] = useState<Timeframe>('1m')
  const [range, setRange] = useState<{ from: string; to: string } | null>(null)
  useEffect(() => {
    if (today && (!range || range.to < today)) setRange({ from: today, to: today })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [today])
  const from = range?.from ?? today ?? ''
  const to = range?.to ?? today ?? ''
  const src = useBars(inst, tf, from, to, today)
  const box = useRef<HTMLDivElement>(null)
  const legend = useRef<HTMLDivElement>(null)
  const chartRef = useRef<Chart | null>(null)
  const barIndex = useRef<Map<number, number>>(new Map())
  const barsRef = useRef<Bar[]>([])
  const vwapRef = useRef<Map<number, number>>(new Map())
  const fitKey = useRef('')
  const isToday = !!today && from === today && to === today
  const daily = tf === '1d'

  const writeLegend = (i: number | undefined) => {
    const el = legend.current
    const bars = barsRef.current
    if (!el) return
    const k = i ?? bars.length - 1
    const b = bars[k]
    if (!b) {
      el.textContent = ''
      return
    }
    el.textContent = legendText(
      b,
      k > 0 ? bars[k - 1].close : null,
      vwapRef.current.get(b.time) ?? null,
      inst.kind,
      daily,
      lang.get(),
      t,
    )
    el.dataset.time = String(b.time)
    el.dataset.close = String(b.close)
  }

  const writeRef = useRef(writeLegend)
  writeRef.current = writeLegend // the crosshair handler outlives renders: it calls the latest (language, timeframe)

  // The chart, made again when the theme changes (canvas colours are read from the CSS variables).
  useEffect(() => {
    const el = box.current!
    const text = cssVar('chart-text')
    const grid = cssVar('chart-grid')
    const chart = createChart(el, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: cssVar('color-board', '#0b1220') },
        textColor: text,
        attributionLogo: true,
      },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: grid, rightOffset: 2 },
      rightPriceScale: { borderColor: grid },
      localization: { locale: 'en-US' },
    })
    const up = cssVar('color-up', '#22c55e')
    const down = cssVar('color-down', '#ef4444')
    const candles = chart.addSeries(CandlestickSeries, {
      priceFormat:
        inst.kind === 'stock'
          ? { type: 'custom', formatter: (p: number) => (p / 1000).toFixed(2), minMove: 10 }
          : {
              type: 'price',
              precision: inst.kind === 'futures' ? 1 : 2,
              minMove: inst.kind === 'futures' ? 0.1 : 0.01,
            },
      upColor: up,
      downColor: down,
      borderUpColor: up,
      borderDownColor: down,
      wickUpColor: up,
      wickDownColor: down,
    })
    const lineOpts = {
      lineWidth: 1 as const,
      priceLineVisible: false,
      lastValueVisible: false,
      crosshairMarkerVisible: false,
    }
    const vwap = chart.addSeries(LineSeries, { ...lineOpts, color: cssVar('chart-vwap', '#f59e0b'), title: 'VWAP' })
    const ma = chart.addSeries(LineSeries, { ...lineOpts, color: cssVar('chart-ma', '#38bdf8'), title: 'MA20' })
    // Volumes on the axis in the UI's units (nghìn / triệu in Vietnamese).
    const hist = {
      priceFormat: { type: 'custom' as const, formatter: (v: number) => fmtVolL(v, lang.get()), minMove: 1 },
      lastValueVisible: false,
      priceLineVisible: false,
      // The pane's scale starts at zero even when every bar is empty (the default would centre it on zero).
      autoscaleInfoProvider: (base: () => AutoscaleInfo | null): AutoscaleInfo => {
        const r = base()
        return { priceRange: { minValue: 0, maxValue: Math.max(r?.priceRange?.maxValue ?? 0, 1) }, margins: r?.margins }
      },
    }
    const all = chart.addSeries(HistogramSeries, { ...hist, color: cssVar('chart-neutral', '#64748b') }, 1)
    const directed = chart.addSeries(HistogramSeries, { ...hist, color: down }, 1)
    const buy = chart.addSeries(HistogramSeries, { ...hist, color: up }, 1)
    // The volume pane starts at zero: bars are heights, never below the axis.
    all.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0 } })
    chart.panes()[1]?.setHeight(Math.round(height * 0.22))
    chartRef.current = { chart, candles, vwap, ma, all, directed, buy, lines: [] }
    // The visible range on the element, for tests and debugging.
    chart.timeScale().subscribeVisibleTimeRangeChange((r) => {
      el.dataset.from = r ? String(r.from) : ''
      el.dataset.to = r ? String(r.to) : ''
    })
    chart.subscribeCrosshairMove((p) => {
      writeRef.current(p.time === undefined ? undefined : barIndex.current.get(p.time as number))
    })
    fitKey.current = ''
    return () => {
      chart.remove()
      chartRef.current = null
    }
  }, [themeName, inst.kind, height])

  const bars = src.state === 'ok' ? src.bars : null
  const vwapPts = useMemo(() => (bars ? vwapLine(bars, inst.kind === 'stock') : []), [bars, inst.kind])

  useEffect(() => {
    const r = chartRef.current
    if (!r) return
    const b = bars ?? []
    barsRef.current = b
    barIndex.current = new Map(b.map((x, i) => [x.time, i]))
    vwapRef.current = new Map(vwapPts.map((p) => [p.time, p.value]))
    const T = (s: number) => s as UTCTimestamp
    const data: (
      WhitespaceData<UTCTimestamp> | { time: UTCTimestamp; open: number; high: number; low: number; close: number }
    )[] = b.map((x) => ({
      time: T(x.time),
      open: x.open,
      high: x.high,
      low: x.low,
      close: x.close,
    }))
    if (isToday && today)
      for (const s of sessionWhitespace(today, tf, b.length ? b[b.length - 1].time : 0)) data.push({ time: T(s) })
    r.candles.setData(data)
    r.vwap.setData(vwapPts.map((p) => ({ time: T(p.time), value: p.value })))
    r.ma.setData(smaLine(b, 20).map((p) => ({ time: T(p.time), value: p.value })))
    const v = volumeStacks(b)
    r.all.setData(v.all.map((p) => ({ time: T(p.time), value: p.value })))
    r.directed.setData(v.directed.map((p) => ({ time: T(p.time), value: p.value })))
    r.buy.setData(v.buy.map((p) => ({ time: T(p.time), value: p.value })))
    const key = `${inst.apiId}|${tf}|${from}|${to}|${themeName}`
    if (b.length && fitKey.current !== key) {
      fitKey.current = key
      // Today: the whole session from the left edge (the whitespace after the last bar counts); otherwise
      // every bar of the range.
      if (data.length > b.length) r.chart.timeScale().setVisibleLogicalRange({ from: -1, to: data.length })
      else r.chart.timeScale().fitContent()
    }
    writeLegend(undefined)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bars, vwapPts, themeName, t('c')])

  // Today's reference (yellow), ceiling (purple) and floor (cyan), dashed, when the range is today.
  useEffect(() => {
    const r = chartRef.current
    if (!r) return
    for (const pl of r.lines) r.candles.removePriceLine(pl)
    r.lines = []
    if (!isToday || !lines) return
    const mk = (price: number | null | undefined, color: string, title: string) => {
      if (price)
        r.lines.push(
          r.candles.createPriceLine({
            price,
            color,
            lineWidth: 1,
            lineStyle: LineStyle.Dashed,
            axisLabelVisible: true,
            title,
          }),
        )
    }
    mk(lines.ref, cssVar('color-ref', '#eab308'), t('ref'))
    mk(lines.ceiling, cssVar('color-ceil', '#c084fc'), t('ceiling'))
    mk(lines.floor, cssVar('color-floor', '#22d3ee'), t('floor'))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lines?.ref, lines?.ceiling, lines?.floor, isToday, themeName, t('ref')])

  const pickTf = (x: Timeframe) => {
    setTf(x)
    // A daily chart of one day is one bar: show three months instead.
    if (x === '1d' && today && from === to) setRange({ from: addDays(to, -90), to })
  }
  const preset = (days: number) => today && setRange({ from: days === 0 ? today : addDays(today, -days), to: today })
  const status =
    src.state === 'loading'
      ? t('loading')
      : src.state === 'unavailable'
        ? t('historyUnavailable')
        : src.state === 'unknown'
          ? t('noSymbol')
          : src.state === 'error'
            ? `${t('historyError')}: ${src.message}`
            : src.bars.length === 0
              ? t('noBars')
              : `${src.bars.length} ${t('bars')} × ${t(`tf_${tf}` as Key)}`
  const canExport = src.state === 'ok' && src.history && inst.kind !== 'index'

  return (
    <div className="card flex flex-col gap-2 min-w-0" data-testid="price-chart">
      <div className="flex items-center gap-x-3 gap-y-1.5 text-xs text-slate-400 flex-wrap">
        <div className="flex gap-0.5" role="group" aria-label={t('timeframe')}>
          {TIMEFRAMES.map((x) => (
            <button
              key={x}
              className={`seg ${tf === x ? 'seg-on' : ''}`}
              data-tf={x}
              onClick={() => pickTf(x)}
              aria-pressed={tf === x}
            >
              {t(`tf_${x}` as Key)}
            </button>
          ))}
        </div>
        <div className="flex gap-0.5">
          {(
            [
              ['range_today', 0],
              ['range_5d', 7],
              ['range_1mo', 31],
              ['range_3mo', 92],
            ] as const
          ).map(([k, d]) => (
            <button
              key={k}
              className={`seg ${today && from === (d === 0 ? today : addDays(today, -d)) && to === today ? 'seg-on' : ''}`}
              data-range={k}
              onClick={() => preset(d)}
            >
              {t(k)}
            </button>
          ))}
        </div>
        <label className="flex items-center gap-1">
          {t('from')}
          <input
            type="date"
            value={from}
            max={to}
            data-testid="range-from"
            onChange={(e) => e.target.value && setRange({ from: e.target.value, to })}
          />
        </label>
        <label className="flex items-center gap-1">
          {t('to')}
          <input
            type="date"
            value={to}
            min={from}
            max={today ?? undefined}
            data-testid="range-to"
            onChange={(e) => e.target.value && setRange({ from, to: e.target.value })}
          />
        </label>
        <span className="ml-auto flex items-center gap-2">
          <span className="inline-flex items-center gap-1">
            <i className="inline-block w-3 h-0.5" style={{ background: 'var(--chart-vwap)' }} />
            VWAP
          </span>
          <span className="inline-flex items-center gap-1">
            <i className="inline-block w-3 h-0.5" style={{ background: 'var(--chart-ma)' }} />
            MA20
          </span>
          <span
            data-testid="chart-count"
            data-bars={src.state === 'ok' ? src.bars.length : -1}
            data-tf={tf}
            data-history={src.state === 'ok' && src.history ? '1' : '0'}
            data-state={src.state}
          >
            {status}
          </span>
          {canExport ? (
            <ExportCsv
              testid="export-candles"
              href={csvUrl(`/api/history/${encodeURIComponent(inst.apiId)}/candles`, {
                interval: tf,
                from,
                to: `${to}T23:59:59`,
                limit: HISTORY_PAGE,
              })}
            />
          ) : null}
        </span>
      </div>
      <div className="relative" style={{ height }}>
        <div ref={box} className="absolute inset-0" data-testid="chart" />
        <div ref={legend} className="chart-legend num" data-testid="chart-legend" title={t('chartLegendHint')} />
        {src.state === 'unavailable' || src.state === 'error' || src.state === 'unknown' ? (
          <div
            className="absolute inset-x-0 top-10 mx-auto w-fit max-w-[90%] card text-sm text-slate-300"
            data-testid="chart-message"
          >
            {status}
          </div>
        ) : null}
      </div>
    </div>
  )
}
