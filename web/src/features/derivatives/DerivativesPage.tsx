import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import { api } from '../../lib/transport/api'
import { futures, indices } from '../../lib/state/market'
import { useKey, useValue } from '../../lib/state/store'
import { usePolled } from '../../lib/ui/useTicker'
import { fmtInt, fmtPct, fmtPoints, fmtSigned, minuteOf } from '../../lib/ui/format'
import { signTone, toneClass } from '../../lib/ui/colors'
import { useT } from '../../lib/ui/i18n'
import { openSymbol } from '../../lib/state/router'
import { axis, grid, tooltip } from '../../components/charts'
import type { ExchangeTime, FuturesState } from '../../lib/model/types'

const COLORS = ['#38bdf8', '#f472b6', '#a3e635', '#fb923c']

// GET /api/market/basis-trend: each point's time the minute's start, "YYYY-MM-DDTHH:MM:SS+07:00".
export interface BasisTrend {
  contract: string
  points: { time: ExchangeTime; basis: number; futures: number; spot: number }[]
}

function BasisOverTime({ list }: { list: FuturesState[] }) {
  const t = useT()
  const codes = list.map((f) => f.symbol)
  const { data } = usePolled(
    () => Promise.all(codes.map((c) => api<BasisTrend>(`/api/market/basis-trend?minutes=400&contract=${c}`))),
    10000,
    [codes.join(',')],
  )
  const byTime = new Map<string, Record<string, number | string>>()
  for (const tr of data ?? []) {
    for (const p of tr.points) {
      const row = byTime.get(p.time) ?? { time: minuteOf(p.time) }
      row[tr.contract] = p.basis
      byTime.set(p.time, row)
    }
  }
  const rows = [...byTime.entries()].sort((a, b) => a[0].localeCompare(b[0])).map((e) => e[1])
  return (
    <div className="card flex-1 min-w-0 sm:min-w-[520px]">
      <h2>{t('basisOverTime')}</h2>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows} margin={{ left: 0, right: 10 }}>
          <CartesianGrid {...grid} />
          <XAxis dataKey="time" {...axis} minTickGap={40} />
          <YAxis {...axis} width={45} />
          <ReferenceLine y={0} stroke="#eab308" strokeDasharray="3 3" />
          <Tooltip {...tooltip} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {list.map((f, i) => (
            <Line
              key={f.symbol}
              dataKey={f.symbol}
              name={`${f.alias} ${f.symbol}`}
              stroke={COLORS[i % 4]}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}

// Convergence: the futures settle at the index, so every basis ends at zero on its last trading day. Per
// contract: today's basis and the straight path to zero (the pace its required slope stands for), the fair
// basis (cost of carry) decaying to zero, and, within a trading day of expiry, where today's trend (the
// server's slope) would land instead.
function Convergence({ list }: { list: FuturesState[] }) {
  const t = useT()
  const lines = list
    .filter((f) => f.basis !== null)
    .map((f, i) => ({
      f,
      color: COLORS[i % 4],
      path: [
        { d: f.days_to_expiry, v: f.basis },
        { d: 0, v: 0 },
      ],
      projected:
        f.projected_basis_at_expiry === null
          ? null
          : [
              { d: f.days_to_expiry, v: f.basis },
              { d: 0, v: f.projected_basis_at_expiry },
            ],
      fair: [
        { d: f.days_to_expiry, v: f.fair_basis },
        { d: 0, v: 0 },
      ],
    }))
  return (
    <div className="card flex-1 min-w-0 sm:min-w-[420px]">
      <h2>{t('convergence')}</h2>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart margin={{ left: 0, right: 10 }}>
          <CartesianGrid {...grid} />
          <XAxis
            type="number"
            dataKey="d"
            reversed
            domain={[0, 'dataMax']}
            {...axis}
            unit={t('daysShort')}
            allowDuplicatedCategory={false}
          />
          <YAxis {...axis} width={55} />
          <ReferenceLine y={0} stroke="#eab308" strokeDasharray="3 3" />
          <Tooltip
            {...tooltip}
            labelFormatter={(d) => `${d} ${t('daysLeft').toLowerCase()}`}
            formatter={(v) => Number(v).toFixed(2)}
          />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {lines.map((l) => (
            <Line
              key={`z${l.f.symbol}`}
              data={l.path}
              dataKey="v"
              name={`${l.f.alias} ${t('pathToZero')}`}
              stroke={l.color}
              isAnimationActive={false}
            />
          ))}
          {lines.flatMap((l) =>
            l.projected
              ? [
                  <Line
                    key={`p${l.f.symbol}`}
                    data={l.projected}
                    dataKey="v"
                    name={`${l.f.alias} ${t('projected').toLowerCase()}`}
                    stroke={l.color}
                    strokeDasharray="1 3"
                    strokeWidth={2}
                    isAnimationActive={false}
                  />,
                ]
              : [],
          )}
          {lines.map((l) => (
            <Line
              key={`f${l.f.symbol}`}
              data={l.fair}
              dataKey="v"
              name={`${l.f.alias} ${t('fairShort')}`}
              stroke={l.color}
              strokeDasharray="4 3"
              strokeOpacity={0.6}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}

export default function DerivativesPage() {
  const t = useT()
  const list = useValue(futures)
  const vn30 = useKey(indices, 'VN30')
  return (
    <div className="flex flex-col gap-2" data-testid="derivatives-page">
      <div className="card overflow-x-auto">
        <h2>
          VN30F · {t('spot')}{' '}
          <span className={`num ${toneClass[signTone(vn30?.change)]}`}>{fmtPoints(vn30?.value)}</span>
        </h2>
        <table className="tbl w-full text-xs num whitespace-nowrap" data-testid="futures-table">
          <thead>
            <tr>
              <th>{t('contract')}</th>
              <th>KRX</th>
              <th>{t('alias')}</th>
              <th>{t('expiry')}</th>
              <th>{t('daysLeft')}</th>
              <th>{t('last')}</th>
              <th>+/-</th>
              <th>{t('vol')}</th>
              <th>{t('basis')}</th>
              <th>{t('basisPct')}</th>
              <th>{t('fairBasis')}</th>
              <th>{t('basisMinusFair')}</th>
              <th>{t('premium')}</th>
              <th>{t('slope')}</th>
              <th>{t('requiredSlope')}</th>
              <th>{t('projected')}</th>
              <th>{t('minutesLeft')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.symbol} data-contract={f.alias ?? f.symbol}>
                <td className="font-semibold text-slate-100">
                  <a
                    href={`/symbol/${f.alias ?? f.symbol}`}
                    className="hover:underline"
                    onClick={(e) => {
                      e.preventDefault()
                      openSymbol(f.alias ?? f.symbol)
                    }}
                  >
                    {f.symbol}
                  </a>
                  {f.front ? (
                    <span className="ml-1.5 text-[10px] px-1 rounded bg-sky-900 text-sky-200">{t('front')}</span>
                  ) : null}
                </td>
                <td className="text-slate-400">{f.krx_code}</td>
                <td>{f.alias}</td>
                <td>{f.last_trading_day}</td>
                <td>{f.days_to_expiry}</td>
                <td className={toneClass[signTone(f.change)]}>{fmtPoints(f.last, 1)}</td>
                <td className={toneClass[signTone(f.change)]}>
                  {fmtSigned(f.change, 1)} ({fmtPct(f.change_pct)})
                </td>
                <td>{fmtInt(f.volume)}</td>
                <td className={toneClass[signTone(f.basis)]}>{fmtSigned(f.basis)}</td>
                <td className={toneClass[signTone(f.basis_pct)]}>{fmtPct(f.basis_pct, 3)}</td>
                <td>{fmtSigned(f.fair_basis)}</td>
                <td className={toneClass[signTone(f.basis_minus_fair)]}>{fmtSigned(f.basis_minus_fair)}</td>
                <td
                  className={f.premium === 'premium' ? 'text-up' : f.premium === 'discount' ? 'text-down' : 'text-ref'}
                >
                  {f.premium === 'premium'
                    ? t('premiumWord')
                    : f.premium === 'discount'
                      ? t('discountWord')
                      : f.premium === 'flat'
                        ? t('flatWord')
                        : '–'}
                </td>
                <td>{fmtSigned(f.slope_per_min, 3)}</td>
                <td>{fmtSigned(f.required_slope_per_min, 4)}</td>
                <td>{fmtSigned(f.projected_basis_at_expiry)}</td>
                <td>{fmtInt(f.trading_minutes_left)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex gap-2 flex-wrap">
        <BasisOverTime list={list} />
        <Convergence list={list} />
      </div>
    </div>
  )
}
