import { useState } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { api } from '../../lib/transport/api'
import { symbols } from '../../lib/state/market'
import { useSyncKeys } from '../../lib/state/hooks'
import { usePolled, useTicker } from '../../lib/ui/useTicker'
import { fmtInt, fmtPrice, fmtRatio, fmtVolL, minuteOf } from '../../lib/ui/format'
import { useLang, useT, type Key } from '../../lib/ui/i18n'
import { csvUrl } from '../../lib/ui/csv'
import { ExportCsv } from '../../components/ExportCsv'
import { openSymbol } from '../../lib/state/router'
import { ChartCard, axis, grid, tooltip } from '../../components/charts'
import type { Candle, Flow } from '../../lib/model/types'

const BUY = '#22c55e'
const SELL = '#ef4444'
const NEUTRAL = '#64748b'

// Stacked active buy / active sell / neutral bars (rows with buy, sell, neutral).
function flowBars(t: (k: Key) => string) {
  return [
    <Bar key="b" dataKey="buy" name={t('buyVol')} stackId="v" fill={BUY} isAnimationActive={false} />,
    <Bar key="s" dataKey="sell" name={t('sellVol')} stackId="v" fill={SELL} isAnimationActive={false} />,
    <Bar key="n" dataKey="neutral" name={t('neutral')} stackId="v" fill={NEUTRAL} isAnimationActive={false} />,
  ]
}

function SessionCell({ f }: { f: Flow | undefined }) {
  const t = useT()
  const l = useLang()
  if (!f || f.total_vol === 0) return <td className="text-slate-600">–</td>
  return (
    <td
      title={`${t('buyTitle')} ${fmtInt(f.active_buy_vol)} / ${t('sellTitle')} ${fmtInt(f.active_sell_vol)} / ${t('neutralTitle')} ${fmtInt(f.neutral_vol)}`}
    >
      {fmtVolL(f.total_vol, l)}{' '}
      <span
        className={f.active_buy_ratio === null ? 'text-slate-500' : f.active_buy_ratio >= 0.5 ? 'text-up' : 'text-down'}
      >
        {f.active_buy_ratio === null ? '' : fmtRatio(f.active_buy_ratio)}
      </span>
    </td>
  )
}

function RatioOverTime({ sym }: { sym: string }) {
  const t = useT()
  const l = useLang()
  const { data, error } = usePolled(() => api<{ candles: Candle[] }>(`/api/market/candles/${sym}`), 5000, [sym])
  const rows = (data?.candles ?? []).map((c) => {
    const directed = c.active_buy_vol + c.active_sell_vol
    return {
      time: minuteOf(c.time),
      ratio: directed > 0 ? (100 * c.active_buy_vol) / directed : null,
      trades: c.trade_count,
    }
  })
  return (
    <ChartCard
      title={
        <>
          {t('ratioOverTime')} · {sym === 'VN30' ? t('vn30Basket') : sym}
        </>
      }
      error={error}
      className="flex-1 min-w-0 sm:min-w-[480px]"
    >
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={rows} margin={{ left: 0, right: 0 }}>
          <CartesianGrid {...grid} />
          <XAxis dataKey="time" {...axis} minTickGap={40} />
          <YAxis yAxisId="r" domain={[0, 100]} {...axis} width={40} unit="%" />
          <YAxis yAxisId="n" orientation="right" {...axis} width={45} tickFormatter={(v) => fmtVolL(v, l)} />
          <Tooltip {...tooltip} formatter={(v, n) => (n === t('activeBuy') ? `${Number(v).toFixed(1)}%` : String(v))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Bar
            yAxisId="n"
            dataKey="trades"
            name={t('trades')}
            fill="#6366f1"
            fillOpacity={0.55}
            isAnimationActive={false}
          />
          <Line
            yAxisId="r"
            dataKey="ratio"
            name={t('activeBuy')}
            stroke="#eab308"
            dot={false}
            isAnimationActive={false}
            connectNulls
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  )
}

function VolumeAtPrice({ sym }: { sym: string }) {
  const t = useT()
  const l = useLang()
  const { data, error } = usePolled(
    () =>
      api<{ levels: { price: number; active_buy_vol: number; active_sell_vol: number; neutral_vol: number }[] }>(
        `/api/market/volume-profile/${sym}`,
      ),
    5000,
    [sym],
  )
  const rows = [...(data?.levels ?? [])]
    .reverse()
    .map((l) => ({ price: fmtPrice(l.price), buy: l.active_buy_vol, sell: l.active_sell_vol, neutral: l.neutral_vol }))
  return (
    <ChartCard
      title={
        <>
          {t('vap')} · {sym}
        </>
      }
      error={error}
      className="flex-1 min-w-0 sm:min-w-[380px]"
    >
      <ResponsiveContainer width="100%" height={Math.max(260, rows.length * 16 + 40)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 0, right: 10 }}>
          <CartesianGrid {...grid} />
          <XAxis type="number" {...axis} tickFormatter={(v) => fmtVolL(v, l)} />
          <YAxis type="category" dataKey="price" {...axis} width={50} interval={0} />
          <Tooltip {...tooltip} formatter={(v) => fmtInt(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {flowBars(t)}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  )
}

export default function VolumePage() {
  const t = useT()
  const l = useLang()
  useTicker(1000)
  const keys = useSyncKeys()
  const stocks = keys
    .map((k) => symbols.get(k)!)
    .filter((s) => s && s.kind !== 'futures')
    .sort((a, b) => b.total_vol - a.total_vol)
  const [sel, setSel] = useState('VN30')
  const chart = stocks.map((s) => ({
    symbol: s.symbol,
    buy: s.active_buy_vol,
    sell: s.active_sell_vol,
    neutral: s.neutral_vol,
  }))
  return (
    <div className="flex flex-col gap-2" data-testid="volume-page">
      <div className="card">
        <h2>
          {t('buyVol')} / {t('sellVol')} / {t('neutral')}
        </h2>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={chart} margin={{ left: 0, right: 10 }}>
            <CartesianGrid {...grid} />
            <XAxis dataKey="symbol" {...axis} interval={0} angle={-45} textAnchor="end" height={40} />
            <YAxis {...axis} tickFormatter={(v) => fmtVolL(v, l)} width={70} />
            <Tooltip {...tooltip} formatter={(v) => fmtInt(Number(v))} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {flowBars(t)}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <label className="text-slate-400">{t('instrument')}</label>
        <select value={sel} onChange={(e) => setSel(e.target.value)} data-testid="volume-symbol">
          <option value="VN30">{t('vn30Basket')}</option>
          {stocks.map((s) => (
            <option key={s.symbol} value={s.symbol}>
              {s.symbol}
            </option>
          ))}
        </select>
      </div>
      <div className="flex gap-2 flex-wrap">
        <RatioOverTime sym={sel} />
        {sel !== 'VN30' ? <VolumeAtPrice sym={sel} /> : null}
      </div>
      <div className="card overflow-x-auto">
        <div className="flex items-center mb-1">
          <h2 className="mb-0!">{t('volume')}</h2>
          <ExportCsv className="ml-auto" testid="export-volume" href={csvUrl('/api/market/volume-stats')} />
        </div>
        <table className="tbl w-full text-xs num whitespace-nowrap" data-testid="volume-table">
          <thead>
            <tr>
              <th>{t('symbol')}</th>
              <th>{t('buyVol')}</th>
              <th>{t('sellVol')}</th>
              <th>{t('neutral')}</th>
              <th>{t('totalVol')}</th>
              <th>{t('activeBuy')}</th>
              <th>{t('trades')}</th>
              <th>ATO</th>
              <th>{t('continuous')}</th>
              <th>ATC</th>
              <th title={t('putThrough')}>PT</th>
            </tr>
          </thead>
          <tbody>
            {stocks.map((s) => (
              <tr key={s.symbol} className="cursor-pointer hover:bg-slate-800/50" onClick={() => setSel(s.symbol)}>
                <td className="font-semibold text-slate-100">
                  <a
                    href={`/symbol/${s.symbol}`}
                    onClick={(e) => {
                      e.preventDefault()
                      e.stopPropagation()
                      openSymbol(s.symbol)
                    }}
                    className="hover:underline"
                  >
                    {s.symbol}
                  </a>
                </td>
                <td className="text-up">{fmtInt(s.active_buy_vol)}</td>
                <td className="text-down">{fmtInt(s.active_sell_vol)}</td>
                <td className="text-slate-400">{fmtInt(s.neutral_vol)}</td>
                <td>{fmtInt(s.total_vol)}</td>
                <td className={s.active_buy_ratio === null ? '' : s.active_buy_ratio >= 0.5 ? 'text-up' : 'text-down'}>
                  {fmtRatio(s.active_buy_ratio)}
                </td>
                <td>{fmtInt(s.trade_count)}</td>
                <SessionCell f={s.sessions.ato} />
                <SessionCell f={s.sessions.continuous} />
                <SessionCell f={s.sessions.atc} />
                <SessionCell f={s.sessions.pt} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
