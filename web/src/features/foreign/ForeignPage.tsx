import { useEffect, useState } from 'react'
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  ReferenceLine,
} from 'recharts'
import { api } from '../../lib/transport/api'
import { upsertPoint } from '../../lib/state/merge'
import { foreign, foreignSymbols, meta, onForeignMessage } from '../../lib/state/market'
import { useStoreVersion, useValue } from '../../lib/state/store'
import { bnWord, fmtBn, fmtInt, fmtPct, fmtVolL, minuteOf } from '../../lib/ui/format'
import { signTone, toneClass } from '../../lib/ui/colors'
import { useLang, useT } from '../../lib/ui/i18n'
import { csvUrl } from '../../lib/ui/csv'
import { ExportCsv } from '../../components/ExportCsv'
import { openSymbol } from '../../lib/state/router'
import { axis, grid, tooltip } from '../../components/charts'
import type { ExchangeTime, TradingDate } from '../../lib/model/types'

interface Point {
  time: string
  net_val: number
  buy_val: number
  sell_val: number
}

// GET /api/market/foreign-series: the VN30 basket's cumulative foreign flow per minute (each point's time the
// minute's start, "YYYY-MM-DDTHH:MM:SS+07:00"; the chart keys points by "HH:MM").
export interface ForeignSeries {
  trading_date: TradingDate | null
  points: (Omit<Point, 'time'> & { time: ExchangeTime; buy_vol: number; sell_vol: number; net_vol: number })[]
}

// The day's cumulative VN30 net flow: the server's per-minute series, then the live totals of /ws/foreign.
function useCumulative(): { points: Point[]; error: string | null } {
  const [points, setPoints] = useState<Point[]>([])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    api<ForeignSeries>('/api/market/foreign-series')
      .then(
        (r) =>
          alive &&
          setPoints((live) =>
            mergeLive(
              r.points.map((p) => ({ ...p, time: minuteOf(p.time) })),
              live,
            ),
          ),
      )
      .catch((e) => alive && setError(String(e.message ?? e)))
    const off = onForeignMessage((m) => {
      const v = m.data.vn30
      if (!v || !m.exchange_time) return
      const p = { time: m.exchange_time.slice(0, 5), net_val: v.net_val, buy_val: v.buy_val, sell_val: v.sell_val }
      setPoints((ps) => upsertPoint(ps, p))
    })
    return () => {
      alive = false
      off()
    }
  }, [])
  return { points, error }
}

function mergeLive(server: Point[], live: Point[]): Point[] {
  let out = server
  for (const p of live) out = upsertPoint(out, p)
  return out
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <div className="card min-w-[150px] flex-1 sm:flex-none">
      <h2>{label}</h2>
      <div className={`num text-xl font-semibold ${tone ?? 'text-slate-100'}`}>{value}</div>
    </div>
  )
}

function TopChart({
  rows,
  color,
  title,
}: {
  rows: { symbol: string; net_val: number }[]
  color: string
  title: string
}) {
  const l = useLang()
  return (
    <div className="card flex-1 min-w-0 sm:min-w-[300px]">
      <h2>{title}</h2>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart
          data={rows.map((r) => ({ symbol: r.symbol, v: r.net_val / 1e9 }))}
          layout="vertical"
          margin={{ left: 10, right: 20 }}
        >
          <CartesianGrid {...grid} />
          <XAxis type="number" {...axis} />
          <YAxis type="category" dataKey="symbol" {...axis} width={40} />
          <Tooltip {...tooltip} formatter={(v) => `${Number(v).toFixed(2)} ${bnWord(l)}`} />
          <Bar dataKey="v" fill={color} isAnimationActive={false}>
            <LabelList
              dataKey="v"
              position="insideRight"
              fill="#e2e8f0"
              fontSize={11}
              formatter={(v: unknown) => Number(v).toFixed(2)}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}

export default function ForeignPage() {
  const t = useT()
  const l = useLang()
  const f = useValue(foreign)
  useStoreVersion(foreignSymbols)
  const m = useValue(meta)
  const { points, error } = useCumulative()
  const v = f.vn30
  const rows = foreignSymbols.entries().sort((a, b) => b[1].net_val - a[1].net_val)
  const last = points[points.length - 1]
  return (
    <div className="flex flex-col gap-2" data-testid="foreign-page">
      <div className="flex gap-2 flex-wrap">
        <Stat label={t('buyVal')} value={fmtBn(v?.buy_val)} tone="text-up" />
        <Stat label={t('sellVal')} value={fmtBn(v?.sell_val)} tone="text-down" />
        <Stat label={t('netVal')} value={fmtBn(v?.net_val, true)} tone={toneClass[signTone(v?.net_val)]} />
        <Stat label={t('speedBn')} value={fmtBn(v?.net_speed_val, true)} tone={toneClass[signTone(v?.net_speed_val)]} />
        <Stat label={t('netVolTotal')} value={fmtVolL(v?.net_vol, l)} tone={toneClass[signTone(v?.net_vol)]} />
      </div>
      <div className="card">
        <h2>
          {t('cumNet')} <span className="normal-case text-slate-500">{m.trading_date}</span>
        </h2>
        {error && points.length === 0 ? <div className="text-slate-400 text-sm">{error}</div> : null}
        <ResponsiveContainer width="100%" height={260}>
          <AreaChart data={points.map((p) => ({ time: p.time, net: p.net_val / 1e9 }))} margin={{ left: 0, right: 20 }}>
            <defs>
              <linearGradient id="netFill" x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor={last && last.net_val < 0 ? '#ef4444' : '#22c55e'} stopOpacity={0.5} />
                <stop offset="100%" stopColor={last && last.net_val < 0 ? '#ef4444' : '#22c55e'} stopOpacity={0.05} />
              </linearGradient>
            </defs>
            <CartesianGrid {...grid} />
            <XAxis dataKey="time" {...axis} minTickGap={40} />
            <YAxis {...axis} width={60} />
            <ReferenceLine y={0} stroke="#eab308" strokeDasharray="3 3" />
            <Tooltip {...tooltip} formatter={(x) => `${Number(x).toFixed(2)} ${bnWord(l)}`} />
            <Area
              type="monotone"
              dataKey="net"
              stroke={last && last.net_val < 0 ? '#ef4444' : '#22c55e'}
              fill="url(#netFill)"
              isAnimationActive={false}
              dot={false}
            />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <div className="flex gap-2 flex-wrap">
        <TopChart rows={f.top_buyers} color="#22c55e" title={t('topBuyers')} />
        <TopChart
          rows={f.top_sellers.map((r) => ({ ...r, net_val: r.net_val }))}
          color="#ef4444"
          title={t('topSellers')}
        />
      </div>
      <div className="card overflow-x-auto">
        <div className="flex items-center mb-1">
          <h2 className="mb-0!">{t('foreign')} · VN30</h2>
          <ExportCsv className="ml-auto" testid="export-foreign" href={csvUrl('/api/market/foreign-detail')} />
        </div>
        <table className="tbl w-full text-xs num whitespace-nowrap" data-testid="foreign-table">
          <thead>
            <tr>
              <th>{t('symbol')}</th>
              <th>{t('fBuy')}</th>
              <th>{t('fSell')}</th>
              <th>{t('buyVal')}</th>
              <th>{t('sellVal')}</th>
              <th>{t('netVal')}</th>
              <th>{t('speedVol')}</th>
              <th>{t('speedBn')}</th>
              <th>{t('accelBn')}</th>
              <th>{t('roomLeft')}</th>
              <th>{t('roomUsed')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([sym, x]) => (
              <tr key={sym} className="cursor-pointer hover:bg-slate-800/50" onClick={() => openSymbol(sym)}>
                <td className="font-semibold text-slate-100">{sym}</td>
                <td>{fmtInt(x.buy_vol)}</td>
                <td>{fmtInt(x.sell_vol)}</td>
                <td className="text-up">{fmtBn(x.buy_val)}</td>
                <td className="text-down">{fmtBn(x.sell_val)}</td>
                <td className={toneClass[signTone(x.net_val)]}>{fmtBn(x.net_val, true)}</td>
                <td className={toneClass[signTone(x.net_speed_vol)]}>
                  {fmtInt(x.net_speed_vol === null ? null : Math.round(x.net_speed_vol))}
                </td>
                <td className={toneClass[signTone(x.net_speed_val)]}>{fmtBn(x.net_speed_val, true)}</td>
                <td className={toneClass[signTone(x.net_accel_val)]}>{fmtBn(x.net_accel_val, true)}</td>
                <td>{fmtInt(x.current_room)}</td>
                <td>
                  <RoomBar pct={x.room_used_pct} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function RoomBar({ pct }: { pct: number | null }) {
  if (pct === null) return <>–</>
  return (
    <span className="inline-flex items-center gap-1.5 justify-end">
      <span className="inline-block w-16 h-1.5 bg-slate-700 rounded">
        <span className="block h-1.5 rounded bg-ceil" style={{ width: `${Math.min(100, pct)}%` }} />
      </span>
      {fmtPct(pct, 1).replace('+', '')}
    </span>
  )
}
