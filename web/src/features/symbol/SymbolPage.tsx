// /symbol/{SYMBOL}: one stock, futures contract or index. The quote with reference / ceiling / floor (and the
// indicative price in the auctions), the chart with timeframes and history, the order book (every level the
// feed sends), time & sales live from /ws/trades, active flow by session, volume at price, foreign flow.
import { useMemo } from 'react'
import { api } from '../../lib/transport/api'
import { foreignSymbols, futures, indices, meta, symbols } from '../../lib/state/market'
import { useKey, useValue } from '../../lib/state/store'
import { usePolled } from '../../lib/ui/useTicker'
import { fmtInt, fmtMoney, fmtPct, fmtPoints, fmtSigned, fmtVolL } from '../../lib/ui/format'
import { priceTone, signTone, toneClass } from '../../lib/ui/colors'
import { sessionNames, useLang, useT } from '../../lib/ui/i18n'
import { navigate, symbolOfPath, useRoute } from '../../lib/state/router'
import { watchlists, activeList, updateWatchlists, toggleSymbol } from '../../lib/state/watchlists'
import { PriceChart } from './PriceChart'
import { ForeignPanel, OrderBook, SessionFlow, TimeSales, VolumeAtPrice, priceFmt, type DayPrices } from './panels'
import { resolveInstrument, type Instrument } from './resolve'
import { BasisHistory, ForeignHistory } from './history'
import { usePhone } from '../../lib/ui/media'
import type { FuturesState, IndexState, SymbolState } from '../../lib/model/types'

const AUCTION = new Set(['ATO', 'ATC'])

// A symbol's whole state: a stock from the board's live store (else polled, e.g. a non-VN30 stock); a futures
// contract polled by its KRX code (ceiling, floor, sessions), with its live quote and book from /ws/market.
function useSymbolState(inst: Instrument): { s: SymbolState | null; error: string | null } {
  const live = useKey(symbols, inst.apiId)
  const need = inst.kind === 'futures' || (inst.kind === 'stock' && !live)
  const { data, error } = usePolled(
    () => (need ? api<SymbolState>(`/api/market/symbol/${encodeURIComponent(inst.apiId)}`) : Promise.resolve(null)),
    inst.kind === 'futures' ? 2000 : 5000,
    [inst.apiId, need],
  )
  if (live) return { s: live, error: null }
  return { s: data, error: need ? error : null }
}

function Figure({
  label,
  value,
  cls = 'text-slate-100',
  testid,
}: {
  label: string
  value: string
  cls?: string
  testid?: string
}) {
  return (
    <div className="flex flex-col leading-tight min-w-0">
      <span className="text-[11px] text-slate-400 whitespace-nowrap">{label}</span>
      <span className={`num text-sm ${cls} whitespace-nowrap`} data-testid={testid}>
        {value}
      </span>
    </div>
  )
}

function Quote({
  inst,
  s,
  fut,
  idx,
}: {
  inst: Instrument
  s: SymbolState | null
  fut: FuturesState | undefined
  idx: IndexState | undefined
}) {
  const t = useT()
  const lg = useLang()
  const m = useValue(meta)
  const f = priceFmt(inst.kind)
  const wl = useValue(watchlists)
  const watched = activeList(wl).symbols.includes(inst.name)
  let last: number | null | undefined
  let change: number | null | undefined
  let pct: number | null | undefined
  let day: DayPrices = { ref: null, ceiling: null, floor: null }
  if (inst.kind === 'index') {
    last = idx?.value
    change = idx?.change
    pct = idx?.change_pct
    day = { ref: idx?.prior_value, ceiling: null, floor: null }
  } else {
    last = fut?.last ?? s?.last_price
    change = fut ? fut.change : s?.change
    pct = fut ? fut.change_pct : s?.change_pct
    day = { ref: s?.ref_price ?? fut?.ref_price, ceiling: s?.ceiling, floor: s?.floor }
  }
  const session = s?.session ?? m.session
  const auction = !!session && AUCTION.has(session)
  const indicative = auction ? s?.indicative_price : null
  const tone = toneClass[inst.kind === 'index' ? signTone(change) : priceTone(last, day.ref, day.ceiling, day.floor)]
  const changeTxt =
    inst.kind === 'stock'
      ? fmtSigned(change === null || change === undefined ? null : change / 1000)
      : fmtSigned(change, inst.kind === 'futures' ? 1 : 2)
  const kindKey = inst.kind === 'stock' ? 'kind_stock' : inst.kind === 'futures' ? 'kind_futures' : 'kind_index'
  return (
    <div className="card flex flex-wrap items-end gap-x-5 gap-y-2" data-testid="quote">
      <div className="flex flex-col min-w-0">
        <span className="text-[11px] text-slate-400">
          {t(kindKey)}
          {fut ? ` · ${fut.symbol} · KRX ${fut.krx_code}` : ''}
          {session ? ` · ${sessionNames[session]?.[lg === 'vi' ? 0 : 1] ?? session}` : ''}
        </span>
        <span className="flex items-center gap-2">
          <h1 className="text-2xl font-bold text-slate-100" data-testid="symbol-name">
            {inst.name}
          </h1>
          {inst.kind !== 'index' ? (
            <button
              className={watched ? 'text-ref text-lg' : 'text-slate-600 hover:text-slate-300 text-lg'}
              aria-label={`watch ${inst.name}`}
              aria-pressed={watched}
              onClick={() => updateWatchlists((w) => toggleSymbol(w, inst.name))}
            >
              ★
            </button>
          ) : null}
        </span>
      </div>
      <div className="flex items-baseline gap-2">
        <span className={`num text-3xl font-semibold ${tone}`} data-testid="quote-last">
          {f(last)}
        </span>
        <span className={`num text-sm ${tone}`}>
          {changeTxt} ({fmtPct(pct)})
        </span>
      </div>
      {indicative ? (
        <Figure
          label={t('indicative')}
          value={f(indicative)}
          cls={`italic ${toneClass[priceTone(indicative, day.ref, day.ceiling, day.floor)]}`}
          testid="quote-indicative"
        />
      ) : null}
      {inst.kind !== 'index' ? (
        <>
          <Figure label={t('ref')} value={f(day.ref)} cls="text-ref" testid="quote-ref" />
          <Figure label={t('ceiling')} value={f(day.ceiling)} cls="text-ceil" testid="quote-ceiling" />
          <Figure label={t('floor')} value={f(day.floor)} cls="text-floor" testid="quote-floor" />
          <Figure
            label={t('open')}
            value={f(s?.open)}
            cls={toneClass[priceTone(s?.open, day.ref, day.ceiling, day.floor)]}
          />
          <Figure
            label={t('high')}
            value={f(s?.high)}
            cls={toneClass[priceTone(s?.high, day.ref, day.ceiling, day.floor)]}
          />
          <Figure
            label={t('low')}
            value={f(s?.low)}
            cls={toneClass[priceTone(s?.low, day.ref, day.ceiling, day.floor)]}
          />
          <Figure label={t('avgPrice')} value={f(s?.vwap)} testid="quote-vwap" />
          <Figure label={t('totalVol')} value={fmtInt(fut?.volume ?? s?.total_vol)} />
          <Figure label={t('value')} value={fmtMoney(fut?.value ?? s?.total_val, lg)} />
          {fut ? (
            <Figure
              label={t('basis')}
              value={`${fmtSigned(fut.basis)} · ${fut.premium === 'premium' ? t('premiumWord') : fut.premium === 'discount' ? t('discountWord') : t('flatWord')}`}
              cls={toneClass[signTone(fut.basis)]}
            />
          ) : null}
        </>
      ) : idx ? (
        <>
          <Figure label={t('ref')} value={fmtPoints(idx.prior_value)} cls="text-ref" />
          <Figure label={t('breadth')} value={`▲${idx.advances} ■${idx.no_changes} ▼${idx.declines}`} />
          <Figure label={t('totalVol')} value={fmtVolL(idx.total_qtty, lg)} />
          <Figure label={t('value')} value={fmtMoney(idx.total_value, lg)} />
          <Figure label={t('putThrough')} value={fmtMoney(idx.total_value_pt, lg)} />
        </>
      ) : null}
      <span className="ml-auto text-[11px] text-slate-500 self-start">
        {inst.kind === 'stock' ? t('priceUnit') : t('unitPoints')}
      </span>
    </div>
  )
}

export default function SymbolPage() {
  const t = useT()
  const path = useRoute()
  const name = symbolOfPath(path) ?? ''
  const futs = useValue(futures)
  // Futures aliases resolve once the contracts are known.
  // `futs.length` is the trigger: resolveInstrument reads the futures store.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const inst = useMemo(() => resolveInstrument(name), [name, futs.length])
  const { s, error } = useSymbolState(inst)
  const fut = inst.kind === 'futures' ? futs.find((f) => f.krx_code === inst.apiId) : undefined
  const idx = useKey(indices, inst.apiId)
  const fs = useKey(foreignSymbols, inst.apiId)
  const m = useValue(meta)
  const phone = usePhone()
  const day: DayPrices = { ref: s?.ref_price ?? fut?.ref_price, ceiling: s?.ceiling, floor: s?.floor }
  const bid = fut?.bid ?? s?.bid ?? []
  const ask = fut?.ask ?? s?.ask ?? []
  const chartInst = { name: inst.name, apiId: inst.apiId, kind: inst.kind }
  const known = inst.kind === 'index' ? !!idx || inst.apiId === 'VN30' || inst.apiId === 'VNINDEX' : !!s || !!fut
  return (
    <div className="flex flex-col gap-2" data-testid="symbol-page" data-symbol={inst.name} data-kind={inst.kind}>
      <div className="flex items-center gap-3 text-xs">
        <a
          href="/"
          className="text-slate-400 hover:text-slate-100"
          data-testid="back-to-board"
          onClick={(e) => {
            e.preventDefault()
            navigate('/')
          }}
        >
          {t('backToBoard')}
        </a>
        {!known && error ? <span className="text-down">{t('noSymbol')}</span> : null}
      </div>
      <Quote inst={inst} s={s} fut={fut} idx={idx} />
      <div className={inst.kind === 'index' ? 'flex flex-col gap-2' : 'symbol-grid'}>
        <div className="symbol-chart min-w-0">
          <PriceChart
            key={inst.apiId}
            inst={chartInst}
            lines={inst.kind === 'index' ? { ref: idx?.prior_value } : day}
            height={phone ? 340 : 460}
          />
        </div>
        {inst.kind !== 'index' ? (
          <>
            <div className="symbol-side flex flex-col gap-2 min-w-0">
              <OrderBook bid={bid} ask={ask} day={day} kind={inst.kind} session={s?.session ?? m.session} />
              <TimeSales key={inst.apiId} symbol={inst.apiId} kind={inst.kind} day={day} />
            </div>
            <div className="symbol-sub">
              <SessionFlow sessions={s?.sessions} whole={s ?? null} kind={inst.kind} />
              <VolumeAtPrice
                key={inst.apiId}
                apiId={inst.apiId}
                kind={inst.kind}
                last={fut?.last ?? s?.last_price}
                day={day}
              />
              {inst.kind === 'stock' ? <ForeignPanel f={fs ?? s?.foreign} /> : null}
            </div>
          </>
        ) : null}
      </div>
      {inst.kind === 'stock' ? <ForeignHistory key={inst.apiId} symbol={inst.apiId} today={m.trading_date} /> : null}
      {inst.kind === 'futures' ? <BasisHistory key={inst.apiId} contract={inst.apiId} today={m.trading_date} /> : null}
    </div>
  )
}
