// The symbol page's panels: order book, time & sales, active flow by session, volume at price, foreign flow.
import { memo, useEffect, useRef, useState } from 'react'
import { api } from '../../lib/transport/api'
import { fmtInt, fmtMoney, fmtPoints, fmtPrice, fmtRatio, fmtVolL, timeOf } from '../../lib/ui/format'
import { priceTone, signTone, toneClass } from '../../lib/ui/colors'
import { useLang, useT, type Key } from '../../lib/ui/i18n'
import { usePolled } from '../../lib/ui/useTicker'
import { csvUrl } from '../../lib/ui/csv'
import { sideTotals, tradesPath, useTrades, type Trade } from './trades'
import { ExportCsv } from '../../components/ExportCsv'
import { bucketProfile, pocIndex, type ProfileLevel } from './profile'
import type { InstKind } from './resolve'
import type { Flow, ForeignState, Level } from '../../lib/model/types'

export interface DayPrices {
  ref: number | null | undefined
  ceiling: number | null | undefined
  floor: number | null | undefined
}

export const priceFmt = (kind: InstKind) => (v: number | null | undefined) =>
  kind === 'stock' ? fmtPrice(v) : fmtPoints(v, kind === 'futures' ? 1 : 2)

const tone = (p: number | null | undefined, d: DayPrices) => toneClass[priceTone(p, d.ref, d.ceiling, d.floor)]

// ---- order book: every level the feed sends (3 for HOSE stocks, 10 for futures) ----
export function OrderBook({
  bid,
  ask,
  day,
  kind,
  session,
}: {
  bid: Level[]
  ask: Level[]
  day: DayPrices
  kind: InstKind
  session: string | null
}) {
  const t = useT()
  const f = priceFmt(kind)
  const n = Math.max(bid.length, ask.length)
  const max = Math.max(1, ...bid.map((l) => l[1]), ...ask.map((l) => l[1]))
  const totalBid = bid.reduce((s, l) => s + l[1], 0)
  const totalAsk = ask.reduce((s, l) => s + l[1], 0)
  const auction = session === 'ATO' ? 'ATO' : session === 'ATC' ? 'ATC' : null
  const px = (p: number | undefined) => (p === undefined ? '' : p === 0 ? (auction ?? 'ATO') : f(p))
  const buyShare = totalBid + totalAsk > 0 ? totalBid / (totalBid + totalAsk) : null
  return (
    <div className="card min-w-0" data-testid="orderbook" data-levels={n}>
      <h2 className="flex items-center">
        {t('orderBook')}
        <span className="ml-auto normal-case text-slate-500">{n > 0 ? `${n} ${t('levels')}` : ''}</span>
      </h2>
      <table className="tbl w-full text-xs num">
        <thead>
          <tr>
            <th>{t('bidVol')}</th>
            <th>{t('bidPrice')}</th>
            <th>{t('askPrice')}</th>
            <th>{t('askVol')}</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: n }, (_, i) => {
            const b = bid[i]
            const a = ask[i]
            return (
              <tr key={i} data-level={i + 1}>
                <td
                  className="book-cell"
                  style={b ? { ['--w' as string]: `${(100 * b[1]) / max}%` } : undefined}
                  data-side="bid"
                >
                  {b ? fmtInt(b[1]) : ''}
                </td>
                <td className={`${b ? tone(b[0], day) : ''} font-semibold`}>{px(b?.[0])}</td>
                <td className={`${a ? tone(a[0], day) : ''} font-semibold`}>{px(a?.[0])}</td>
                <td
                  className="book-cell"
                  style={a ? { ['--w' as string]: `${(100 * a[1]) / max}%` } : undefined}
                  data-side="ask"
                >
                  {a ? fmtInt(a[1]) : ''}
                </td>
              </tr>
            )
          })}
          <tr className="text-slate-400">
            <td>{fmtInt(totalBid)}</td>
            <td colSpan={2} className="text-center!">
              {t('totalBid')} / {t('totalAsk')}
              {buyShare === null ? '' : ` · ${fmtRatio(buyShare)}`}
            </td>
            <td>{fmtInt(totalAsk)}</td>
          </tr>
        </tbody>
      </table>
      {n === 0 ? <div className="text-slate-500 text-xs p-2">{t('noData')}</div> : null}
    </div>
  )
}

// ---- time & sales ----
const SIDE_CLS: Record<string, string> = { buy: 'text-up', sell: 'text-down', neutral: 'text-slate-400' }
const SHOW_MAX = 400

const TradeRow = memo(function TradeRow({
  tr,
  fresh,
  day,
  kind,
  l,
}: {
  tr: Trade
  fresh: boolean
  day: DayPrices
  kind: InstKind
  l: (k: Key) => string
}) {
  const f = priceFmt(kind)
  return (
    <tr
      data-seq={tr.seq}
      data-side={tr.side}
      data-volume={tr.volume}
      className={`side-${tr.side} ${fresh ? 'trade-new' : ''}`}
    >
      <td className="text-slate-400">{timeOf(tr.time)}</td>
      <td className={tone(tr.price, day)}>{f(tr.price)}</td>
      <td className="text-slate-100">{fmtInt(tr.volume)}</td>
      <td className={SIDE_CLS[tr.side] ?? ''}>{l(`side_${tr.side}` as Key)}</td>
      <td className="text-slate-500">{methodName(tr.method, l)}</td>
    </tr>
  )
})

function methodName(m: string, l: (k: Key) => string): string {
  const k = `method_${m}`
  return ['method_exchange', 'method_quote', 'method_tick', 'method_auction', 'method_put_through'].includes(k)
    ? l(k as Key)
    : m
}

export function TimeSales({ symbol, kind, day }: { symbol: string; kind: InstKind; day: DayPrices }) {
  const t = useT()
  const lg = useLang()
  const [minInput, setMinInput] = useState('')
  const minVolume = Math.max(0, Math.floor(Number(minInput.replace(/[.,\s]/g, '')) || 0))
  const v = useTrades(symbol, minVolume)
  // Rows newer than what the previous render showed flash once.
  const shownTop = useRef<number | null>(null)
  const prevTop = shownTop.current
  useEffect(() => {
    shownTop.current = v.newestSeq
  })
  const shown = v.filtered.slice(0, SHOW_MAX)
  const totals = sideTotals(v.filtered)
  const presets = kind === 'futures' ? [10, 50, 100] : [10000, 50000, 100000]
  const dot = v.status === 'live' ? 'bg-up' : v.status === 'reconnecting' ? 'bg-down animate-pulse' : 'bg-slate-500'
  return (
    <div className="card min-w-0 flex flex-col" data-testid="time-sales" data-status={v.status}>
      <h2 className="flex items-center gap-2 flex-wrap">
        <span className={`inline-block w-2 h-2 rounded-full ${dot}`} />
        {t('timeSales')}
        <span className="ml-auto normal-case flex items-center gap-1.5">
          <label className="flex items-center gap-1 text-slate-400">
            {t('minSize')}
            <input
              className="w-20 num"
              inputMode="numeric"
              list={`min-${kind}`}
              value={minInput}
              placeholder="0"
              data-testid="trades-min"
              onChange={(e) => setMinInput(e.target.value)}
            />
            <datalist id={`min-${kind}`}>
              {presets.map((p) => (
                <option key={p} value={p} />
              ))}
            </datalist>
          </label>
          <ExportCsv
            testid="export-trades"
            href={csvUrl(tradesPath(symbol, { limit: 5000, minVolume }), { limit: 5000 })}
          />
        </span>
      </h2>
      <div className="text-[11px] text-slate-400 mb-1 num" data-testid="trades-summary">
        {shown.length} {t('tradesShown')} ·{' '}
        <span className="text-up">
          {t('side_buy')} {fmtVolL(totals.buy, lg)}
        </span>{' '}
        ·{' '}
        <span className="text-down">
          {t('side_sell')} {fmtVolL(totals.sell, lg)}
        </span>{' '}
        · {t('side_neutral')} {fmtVolL(totals.neutral, lg)}
      </div>
      <div className="overflow-y-auto max-h-[520px] min-h-[160px]">
        <table className="tbl w-full text-xs num" data-testid="trades">
          <thead className="sticky top-0 bg-panel">
            <tr>
              <th>{t('time')}</th>
              <th>{t('price')}</th>
              <th>{t('vol')}</th>
              <th>{t('side')}</th>
              <th>{t('method')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((tr) => (
              <TradeRow key={tr.seq} tr={tr} fresh={prevTop !== null && tr.seq > prevTop} day={day} kind={kind} l={t} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? (
          <div className="p-3 text-slate-500 text-sm">
            {v.status === 'unavailable'
              ? t('tradesUnavailable')
              : v.status === 'loading'
                ? t('loading')
                : t('noTrades')}
          </div>
        ) : null}
        {v.more || v.filtered.length > SHOW_MAX ? (
          <button className="btn text-xs m-2" data-testid="trades-older" onClick={v.loadOlder}>
            {t('olderTrades')}
          </button>
        ) : null}
      </div>
    </div>
  )
}

// ---- active buy / sell by session ----
const SESSIONS: { k: 'ato' | 'continuous' | 'atc' | 'pt'; label: Key | null; text?: string }[] = [
  { k: 'ato', label: 'ato' },
  { k: 'continuous', label: 'continuous' },
  { k: 'atc', label: 'atc' },
  { k: 'pt', label: 'putThrough' },
]

export function SessionFlow({
  sessions,
  whole,
  kind,
}: {
  sessions: Partial<Record<'ato' | 'continuous' | 'atc' | 'pt', Flow>> | undefined
  whole: Flow | null
  kind: InstKind
}) {
  const t = useT()
  const lg = useLang()
  const f = priceFmt(kind)
  const rows: [string, Flow | undefined][] = [
    ...SESSIONS.map((s): [string, Flow | undefined] => [t(s.label!), sessions?.[s.k]]),
    [t('all'), whole ?? undefined],
  ]
  const has = (x: Flow | undefined): x is Flow => !!x && x.total_vol > 0
  return (
    <div className="card min-w-0 overflow-x-auto session-flow" data-testid="session-flow">
      <h2>{t('sessionFlow')}</h2>
      <table className="tbl w-full text-xs num whitespace-nowrap">
        <thead>
          <tr>
            <th>{t('session')}</th>
            <th>{t('totalVol')}</th>
            <th>{t('buyVol')}</th>
            <th>{t('sellVol')}</th>
            <th>{t('neutral')}</th>
            <th>{t('activeBuy')}</th>
            <th>{t('value')}</th>
            <th>{t('avgPrice')}</th>
            <th>{t('trades')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, x], i) => (
            <tr
              key={name}
              className={i === rows.length - 1 ? 'font-semibold' : ''}
              data-session={i < SESSIONS.length ? SESSIONS[i].k : 'all'}
            >
              <td>{name}</td>
              <td className="text-slate-100">{has(x) ? fmtInt(x.total_vol) : '–'}</td>
              <td className="text-up">{has(x) ? fmtInt(x.active_buy_vol) : '–'}</td>
              <td className="text-down">{has(x) ? fmtInt(x.active_sell_vol) : '–'}</td>
              <td className="text-slate-400">{has(x) ? fmtInt(x.neutral_vol) : '–'}</td>
              <td>
                {has(x) && x.active_buy_ratio !== null ? (
                  <span className="inline-flex items-center gap-1.5 justify-end">
                    <span className="ratio-bar">
                      <span style={{ width: `${x.active_buy_ratio * 100}%` }} />
                    </span>
                    <span className={x.active_buy_ratio >= 0.5 ? 'text-up' : 'text-down'}>
                      {fmtRatio(x.active_buy_ratio)}
                    </span>
                  </span>
                ) : (
                  '–'
                )}
              </td>
              <td>{has(x) ? fmtMoney(x.total_val, lg) : '–'}</td>
              <td>{has(x) ? f(x.vwap) : '–'}</td>
              <td>{has(x) ? fmtInt(x.trade_count) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

// ---- volume at price ----
export function VolumeAtPrice({
  apiId,
  kind,
  last,
  day,
}: {
  apiId: string
  kind: InstKind
  last: number | null | undefined
  day: DayPrices
}) {
  const t = useT()
  const lg = useLang()
  const f = priceFmt(kind)
  const { data, error } = usePolled(
    () => api<{ levels: ProfileLevel[] }>(`/api/market/volume-profile/${encodeURIComponent(apiId)}`),
    5000,
    [apiId],
  )
  const rows = bucketProfile(data?.levels ?? [], 30)
  const poc = pocIndex(rows)
  const max = Math.max(1, ...rows.map((r) => r.total))
  return (
    <div className="card min-w-0" data-testid="volume-profile" data-rows={rows.length}>
      <h2>{t('vap')}</h2>
      {error && !data ? (
        <div className="text-slate-500 text-xs" title={error}>
          {t('noData')}
        </div>
      ) : null}
      <div className="flex flex-col gap-px text-[11px] num">
        {rows.map((r, i) => {
          const here = last !== null && last !== undefined && last >= r.price && last <= r.top
          return (
            <div
              key={r.price}
              className={`vap-row ${here ? 'vap-here' : ''}`}
              title={`${t('buyTitle')} ${fmtInt(r.buy)} · ${t('sellTitle')} ${fmtInt(r.sell)} · ${t('neutralTitle')} ${fmtInt(r.neutral)}`}
            >
              <span className={`w-14 shrink-0 text-right ${tone(r.price, day)} ${i === poc ? 'font-bold' : ''}`}>
                {f(r.price)}
              </span>
              <span className="flex-1 flex h-3 min-w-0">
                <span className="bg-up/80" style={{ width: `${(100 * r.buy) / max}%` }} />
                <span className="bg-down/80" style={{ width: `${(100 * r.sell) / max}%` }} />
                <span className="bg-slate-500/70" style={{ width: `${(100 * r.neutral) / max}%` }} />
              </span>
              <span className="w-24 shrink-0 text-right text-slate-300 whitespace-nowrap">{fmtVolL(r.total, lg)}</span>
            </div>
          )
        })}
        {rows.length === 0 && data ? <div className="text-slate-500">{t('noData')}</div> : null}
      </div>
    </div>
  )
}

// ---- foreign flow and room ----
export function ForeignPanel({ f }: { f: ForeignState | undefined }) {
  const t = useT()
  const lg = useLang()
  const used = f?.room_used_pct ?? null
  return (
    <div className="card min-w-0" data-testid="foreign-panel">
      <h2>{t('foreign')}</h2>
      <div className="grid grid-cols-2 gap-x-3 gap-y-0.5 text-xs num">
        <span className="text-slate-400">{t('fBuy')}</span>
        <span className="text-right text-up">
          {fmtVolL(f?.buy_vol, lg)} · {fmtMoney(f?.buy_val, lg)}
        </span>
        <span className="text-slate-400">{t('fSell')}</span>
        <span className="text-right text-down">
          {fmtVolL(f?.sell_vol, lg)} · {fmtMoney(f?.sell_val, lg)}
        </span>
        <span className="text-slate-400">{t('netVol')}</span>
        <span className={`text-right ${toneClass[signTone(f?.net_val)]}`} data-testid="foreign-net">
          {fmtVolL(f?.net_vol, lg)} · {fmtMoney(f?.net_val, lg, true)}
        </span>
        <span className="text-slate-400">{t('speed')}</span>
        <span className={`text-right ${toneClass[signTone(f?.net_speed_val)]}`}>
          {f?.net_speed_val === null || f?.net_speed_val === undefined ? '–' : fmtMoney(f.net_speed_val, lg, true)}
        </span>
        <span className="text-slate-400">{t('roomLeft')}</span>
        <span className="text-right" data-testid="foreign-room">
          {fmtInt(f?.current_room)}
        </span>
        <span className="text-slate-400">{t('roomUsed')}</span>
        <span className="text-right inline-flex items-center gap-1.5 justify-end">
          {used === null ? (
            '–'
          ) : (
            <>
              <span className="ratio-bar ratio-room">
                <span style={{ width: `${Math.min(100, used)}%` }} />
              </span>
              {used.toFixed(1)}%
            </>
          )}
        </span>
      </div>
    </div>
  )
}
