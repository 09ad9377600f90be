// The symbol page's multi-day views from the history store: a stock's foreign net by day (bars, the running
// sum, a table) and a futures contract's basis over several days (a line per minute with the fair basis, a
// summary per day). Without a store (--db none) the server answers 503 and the panel says so.
import { useEffect, useState } from 'react'
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { api } from '../../lib/transport/api'
import { addDays } from '../../lib/model/bars'
import { csvUrl } from '../../lib/ui/csv'
import { bnWord, fmtBn, fmtInt, fmtMoney, fmtPoints, fmtSigned, fmtVolL } from '../../lib/ui/format'
import { signTone, toneClass } from '../../lib/ui/colors'
import { useLang, useT, type Key } from '../../lib/ui/i18n'
import {
  foreignDays,
  historyFailure,
  loadBasisHistory,
  type BasisDay,
  type BasisPoint,
  type BasisRow,
  type ForeignDay,
  type ForeignDayRow,
} from './api'
import { axis, grid, tooltip } from '../../components/charts'
import { ExportCsv } from '../../components/ExportCsv'

type Status = 'loading' | 'ok' | 'unavailable' | 'error'

function RangeButtons<R extends string>({
  ranges,
  value,
  set,
  testid,
}: {
  ranges: readonly R[]
  value: R
  set: (r: R) => void
  testid: string
}) {
  const t = useT()
  return (
    <span className="flex gap-1 normal-case" data-testid={testid}>
      {ranges.map((r) => (
        <button
          key={r}
          className={`btn ${r === value ? 'text-slate-50 bg-slate-700' : ''}`}
          data-hrange={r}
          aria-pressed={r === value}
          onClick={() => set(r)}
        >
          {t(`hrange_${r}` as Key)}
        </button>
      ))}
    </span>
  )
}

function Message({ status, error }: { status: Status; error: string | null }) {
  const t = useT()
  if (status === 'unavailable')
    return (
      <div className="text-slate-400 text-xs py-2" data-testid="history-message">
        {t('historyUnavailable')}
      </div>
    )
  if (status === 'error')
    return (
      <div className="text-down text-xs py-2" data-testid="history-message">
        {t('historyError')}: {error}
      </div>
    )
  if (status === 'loading') return <div className="text-slate-500 text-xs py-2">{t('loading')}</div>
  return null
}

// ---- a stock's foreign flow by day ----
const FOREIGN_RANGES = ['1mo', '3mo', '1y'] as const
type ForeignRange = (typeof FOREIGN_RANGES)[number]
const FOREIGN_DAYS: Record<ForeignRange, number> = { '1mo': 31, '3mo': 92, '1y': 366 }

export function ForeignHistory({ symbol, today }: { symbol: string; today: string | null }) {
  const t = useT()
  const lg = useLang()
  const [range, setRange] = useState<ForeignRange>('1mo')
  const [rows, setRows] = useState<ForeignDayRow[]>([])
  const [status, setStatus] = useState<Status>('loading')
  const [error, setError] = useState<string | null>(null)
  const from = today ? addDays(today, -FOREIGN_DAYS[range]) : null
  useEffect(() => {
    if (!from) return
    let alive = true
    setStatus('loading')
    api<ForeignDay[]>(`/api/history/${encodeURIComponent(symbol)}/foreign/daily?from=${from}`)
      .then((r) => {
        if (!alive) return
        setRows(foreignDays(r))
        setStatus('ok')
      })
      .catch((e) => {
        if (!alive) return
        setStatus(historyFailure(e))
        setError(String(e?.message ?? e))
      })
    return () => {
      alive = false
    }
  }, [symbol, from])
  const bn = bnWord(lg)
  const total = rows.length ? rows[rows.length - 1].cum_net_val : null
  const chart = rows.map((r) => ({ date: r.date.slice(5), net: r.net_val / 1e9, cum: r.cum_net_val / 1e9 }))
  return (
    <div
      className="card min-w-0"
      data-testid="foreign-history"
      data-status={status}
      data-days={status === 'ok' ? rows.length : -1}
    >
      <h2 className="flex items-center gap-2 flex-wrap">
        {t('foreignDaily')}
        <RangeButtons ranges={FOREIGN_RANGES} value={range} set={setRange} testid="foreign-history-range" />
        {status === 'ok' && rows.length ? (
          <ExportCsv
            className="ml-auto normal-case"
            testid="export-foreign-daily"
            href={csvUrl(`/api/history/${encodeURIComponent(symbol)}/foreign/daily`, { from })}
          />
        ) : null}
      </h2>
      <Message status={status} error={error} />
      {status === 'ok' && rows.length === 0 ? <div className="text-slate-500 text-xs py-2">{t('noData')}</div> : null}
      {status === 'ok' && rows.length ? (
        <>
          <div className="text-xs text-slate-400 mb-1">
            {t('netOverRange')} ({rows.length} {t('daysWord')}):{' '}
            <span className={`num ${toneClass[signTone(total)]}`} data-testid="foreign-history-total">
              {fmtMoney(total, lg, true)}
            </span>
          </div>
          <ResponsiveContainer width="100%" height={180}>
            <ComposedChart data={chart} margin={{ left: 0, right: 8, top: 4 }}>
              <CartesianGrid {...grid} />
              <XAxis dataKey="date" {...axis} minTickGap={20} />
              <YAxis {...axis} width={50} domain={[(lo: number) => Math.min(0, lo), (hi: number) => Math.max(0, hi)]} />
              <ReferenceLine y={0} stroke="#7c8ba1" />
              <Tooltip {...tooltip} formatter={(v) => `${fmtSigned(Number(v))} ${bn}`} />
              <Bar
                dataKey="net"
                name={t('netValDay')}
                maxBarSize={28}
                isAnimationActive={false}
                fill="#22c55e"
                shape={NetBar}
              />
              <Line dataKey="cum" name={t('cumNetShort')} stroke="#eab308" dot={false} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
          <div className="overflow-auto max-h-56 mt-1">
            <table className="tbl w-full text-[11px] num whitespace-nowrap" data-testid="foreign-history-table">
              <thead className="sticky top-0 bg-panel">
                <tr>
                  <th className="text-left">{t('date')}</th>
                  <th>{t('buyValCol')}</th>
                  <th>{t('sellValCol')}</th>
                  <th>{t('netValCol')}</th>
                  <th>{t('cumNetCol')}</th>
                  <th>{t('netVol')}</th>
                  <th>{t('roomLeft')}</th>
                </tr>
              </thead>
              <tbody>
                {[...rows].reverse().map((r) => (
                  <tr key={r.time} data-date={r.date}>
                    <td className="text-slate-400">{r.date}</td>
                    <td className="num text-right text-up">{fmtBn(r.buy_val)}</td>
                    <td className="num text-right text-down">{fmtBn(r.sell_val)}</td>
                    <td className={`num text-right ${toneClass[signTone(r.net_val)]}`}>{fmtBn(r.net_val, true)}</td>
                    <td className={`num text-right ${toneClass[signTone(r.cum_net_val)]}`}>
                      {fmtBn(r.cum_net_val, true)}
                    </td>
                    <td className={`num text-right ${toneClass[signTone(r.net_vol)]}`}>{fmtVolL(r.net_vol, lg)}</td>
                    <td className="num text-right">{fmtInt(r.current_room)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  )
}

// A bar green when the day's net is a buy, red when a sell.
function NetBar(props: unknown) {
  const p = props as { x: number; y: number; width: number; height: number; value: number | [number, number] }
  const v = Array.isArray(p.value) ? p.value[1] - p.value[0] : p.value
  const h = Math.abs(p.height)
  const y = p.height < 0 ? p.y + p.height : p.y
  return (
    <rect
      x={p.x}
      y={y}
      width={Math.max(1, p.width)}
      height={h}
      fill={v < 0 ? '#ef4444' : '#22c55e'}
      fillOpacity={0.8}
    />
  )
}

// ---- a futures contract's basis over several days ----
const BASIS_RANGES = ['5d', '10d'] as const
type BasisRange = (typeof BASIS_RANGES)[number]
const BASIS_DAYS: Record<BasisRange, number> = { '5d': 7, '10d': 14 }

export function BasisHistory({ contract, today }: { contract: string; today: string | null }) {
  const t = useT()
  const [range, setRange] = useState<BasisRange>('5d')
  const [points, setPoints] = useState<BasisPoint[]>([])
  const [days, setDays] = useState<BasisDay[]>([])
  const [truncated, setTruncated] = useState(false)
  const [status, setStatus] = useState<Status>('loading')
  const [error, setError] = useState<string | null>(null)
  const from = today ? addDays(today, -BASIS_DAYS[range]) : null
  useEffect(() => {
    if (!from || !today) return
    let alive = true
    setStatus('loading')
    loadBasisHistory(contract, from, today, (p) => api<BasisRow[]>(p), { alive: () => alive })
      .then(({ fold, truncated }) => {
        if (!alive) return
        setPoints(fold.points())
        setDays(fold.days())
        setTruncated(truncated)
        setStatus('ok')
      })
      .catch((e) => {
        if (!alive) return
        setStatus(historyFailure(e))
        setError(String(e?.message ?? e))
      })
    return () => {
      alive = false
    }
  }, [contract, from, today])
  // One label per point: "MM-DD HH:MM"; a new day's first minute starts a reference line.
  const chart = points.map((p) => ({
    time: `${p.time.slice(5, 10)} ${p.time.slice(11, 16)}`,
    basis: p.basis,
    fair: p.fair_basis,
  }))
  const dayStarts = days
    .slice(1)
    .map((d) => chart.find((c) => c.time.startsWith(d.date.slice(5)))?.time)
    .filter(Boolean) as string[]
  return (
    <div
      className="card min-w-0"
      data-testid="basis-history"
      data-status={status}
      data-days={status === 'ok' ? days.length : -1}
      data-points={points.length}
    >
      <h2 className="flex items-center gap-2 flex-wrap">
        {t('basisHistory')}
        <RangeButtons ranges={BASIS_RANGES} value={range} set={setRange} testid="basis-history-range" />
      </h2>
      <Message status={status} error={error} />
      {status === 'ok' && days.length === 0 ? <div className="text-slate-500 text-xs py-2">{t('noData')}</div> : null}
      {status === 'ok' && days.length ? (
        <>
          {truncated ? <div className="text-slate-500 text-[11px]">{t('historyTruncated')}</div> : null}
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={chart} margin={{ left: 0, right: 8, top: 4 }}>
              <CartesianGrid {...grid} />
              <XAxis dataKey="time" {...axis} minTickGap={50} />
              <YAxis {...axis} width={45} domain={['auto', 'auto']} />
              <ReferenceLine y={0} stroke="#eab308" strokeDasharray="3 3" />
              {dayStarts.map((x) => (
                <ReferenceLine key={x} x={x} stroke="#7c8ba1" strokeOpacity={0.5} />
              ))}
              <Tooltip {...tooltip} formatter={(v) => fmtSigned(Number(v))} />
              <Line dataKey="basis" name={t('basis')} stroke="#38bdf8" dot={false} isAnimationActive={false} />
              <Line
                dataKey="fair"
                name={t('fairBasis')}
                stroke="#a3e635"
                strokeDasharray="4 3"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
          <div className="overflow-auto max-h-56 mt-1">
            <table className="tbl w-full text-[11px] num whitespace-nowrap" data-testid="basis-history-table">
              <thead className="sticky top-0 bg-panel">
                <tr>
                  <th className="text-left">{t('date')}</th>
                  <th>{t('closeBasis')}</th>
                  <th>{t('basisPct')}</th>
                  <th>{t('fairBasis')}</th>
                  <th>{t('basisMinusFair')}</th>
                  <th>{t('basisOpen')}</th>
                  <th>{t('basisLowHigh')}</th>
                  <th>{t('last')}</th>
                  <th>{t('spot')}</th>
                </tr>
              </thead>
              <tbody>
                {[...days].reverse().map((d) => (
                  <tr key={d.date} data-date={d.date}>
                    <td className="text-slate-400">{d.date}</td>
                    <td className={`num text-right ${toneClass[signTone(d.close)]}`}>{fmtSigned(d.close)}</td>
                    <td className={`num text-right ${toneClass[signTone(d.close_pct)]}`}>
                      {fmtSigned(d.close_pct, 2)}%
                    </td>
                    <td className="num text-right">{fmtSigned(d.fair_close)}</td>
                    <td className={`num text-right ${toneClass[signTone(d.close - d.fair_close)]}`}>
                      {fmtSigned(d.close - d.fair_close)}
                    </td>
                    <td className="num text-right">{fmtSigned(d.open)}</td>
                    <td className="num text-right">
                      {fmtSigned(d.min)} / {fmtSigned(d.max)}
                    </td>
                    <td className="num text-right">{fmtPoints(d.price_close, 1)}</td>
                    <td className="num text-right">{fmtPoints(d.spot_close)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="text-slate-500 text-[11px] mt-1">{t('basisHistoryNote')}</div>
        </>
      ) : null}
    </div>
  )
}
