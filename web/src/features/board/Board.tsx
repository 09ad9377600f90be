import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { boardTiming, indexSeries, indices, onMarketMessage, symbols } from '../../lib/market'
import { KeyedStore, ValueStore, useKey, useValue } from '../../lib/store'
import { fmtPct, fmtPoints, fmtSigned, fmtVol, fmtBn } from '../../lib/format'
import { signTone, toneClass, toneHex } from '../../lib/colors'
import { sortSymbols, type SortKey, type SortSpec } from '../../lib/sort'
import { useT, type Key } from '../../lib/i18n'
import { Sparkline } from '../../components/Sparkline'
import { foldSpark, loadSparks, sparks } from './sparks'
import { ROW_CELLS, RowView, SPARK_H, SPARK_W } from './rowView'

// ---- watchlist (localStorage) ----
const loadWatch = (): Set<string> => {
  try {
    return new Set(JSON.parse(localStorage.getItem('vnt.watchlist') ?? '[]'))
  } catch {
    return new Set()
  }
}
const watch = new ValueStore<Set<string>>(loadWatch())
function toggleWatch(sym: string): void {
  const s = new Set(watch.get())
  if (s.has(sym)) s.delete(sym)
  else s.add(sym)
  localStorage.setItem('vnt.watchlist', JSON.stringify([...s]))
  watch.set(s)
}
const watchKeys = new KeyedStore<boolean>()
watch.subscribe(() => watchKeys.setMany(symbols.keys().map((k) => [k, watch.get().has(k)])))

// A row: React renders its cells once (and again only for the watch star); the RowView writes each update
// of the symbol's store and sparkline straight into the cells, synchronously inside the store notification,
// so a tick costs no React render (see rowView.ts).
const CELL_SLOTS = Array.from({ length: ROW_CELLS }, (_, i) => i)

const Row = memo(function Row({ sym }: { sym: string }) {
  const watched = useKey(watchKeys, sym) ?? false
  const tr = useRef<HTMLTableRowElement>(null)
  const svg = useRef<SVGSVGElement>(null)
  useLayoutEffect(() => {
    const tds = [...tr.current!.children].slice(1, 1 + ROW_CELLS) as HTMLElement[]
    const view = new RowView(sym, tds, svg.current!)
    const draw = () => view.update(symbols.get(sym), sparks.get(sym)?.c)
    draw()
    const offs = [symbols.subscribeKey(sym, draw), sparks.subscribeKey(sym, draw)]
    return () => offs.forEach((off) => off())
  }, [sym])
  return (
    <tr ref={tr} data-symbol={sym}>
      <td className="text-center">
        <button
          aria-label={`watch ${sym}`}
          className={watched ? 'text-ref' : 'text-slate-600 hover:text-slate-300'}
          onClick={() => toggleWatch(sym)}
        >
          ★
        </button>
      </td>
      {CELL_SLOTS.map((i) => (
        <td key={i} />
      ))}
      <td className="px-1">
        <svg ref={svg} width={SPARK_W} height={SPARK_H} className="block" />
      </td>
    </tr>
  )
})

function IndexCard({ id }: { id: string }) {
  const x = useKey(indices, id)
  const series = useKey(indexSeries, id)
  const tone = signTone(x?.change)
  return (
    <div className="card flex items-center gap-4 min-w-[430px]" data-index={id}>
      <div>
        <div className="text-xs text-slate-400">{id}</div>
        <div className={`num text-xl font-semibold ${toneClass[tone]}`}>{fmtPoints(x?.value)}</div>
        <div className={`num text-xs ${toneClass[tone]}`}>
          {fmtSigned(x?.change)} ({fmtPct(x?.change_pct)})
        </div>
      </div>
      <Sparkline values={(series ?? []).map((p) => p[1])} refLine={x?.prior_value} width={120} height={40} color={toneHex[tone]} />
      <Breadth x={x} />
    </div>
  )
}

function Breadth({ x }: { x: ReturnType<typeof indices.get> }) {
  const t = useT()
  if (!x) return null
  return (
    <div className="num text-xs grid grid-cols-[auto_auto] gap-x-3">
      <span className="text-up">
        ▲ {x.advances} <span className="text-ceil">({x.ceilings})</span>
      </span>
      <span className="text-slate-400">
        {t('vol')} <span className="text-slate-200">{fmtVol(x.total_qtty)}</span>
      </span>
      <span className="text-ref">■ {x.no_changes}</span>
      <span className="text-slate-400">
        {t('value')} <span className="text-slate-200">{fmtBn(x.total_value)} bn</span>
      </span>
      <span className="text-down">
        ▼ {x.declines} <span className="text-floor">({x.floors})</span>
      </span>
    </div>
  )
}

const COLS: { key: Key; sort?: SortKey; span?: number }[] = [
  { key: 'symbol', sort: 'symbol' },
  { key: 'ref' },
  { key: 'ceiling' },
  { key: 'floor' },
]

function SortTh({ label, k, spec, set, cls = '' }: { label: string; k: SortKey; spec: SortSpec; set: (s: SortSpec) => void; cls?: string }) {
  const on = spec.key === k
  return (
    <th
      className={`cursor-pointer select-none hover:text-white ${on ? 'text-white' : ''} ${cls}`}
      data-sort={k}
      onClick={() => set({ key: k, dir: on && spec.dir === 'desc' ? 'asc' : k === 'symbol' && !on ? 'asc' : 'desc' })}
    >
      {label}
      {on ? (spec.dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </th>
  )
}

export function Board() {
  const t = useT()
  // The table itself re-renders only when the symbol set changes (a new day's snapshot), never per tick.
  const symbolSet = useSyncExternalStore(symbols.subscribeAll, () => symbols.getKeysVersion())
  const [spec, setSpec] = useState<SortSpec>({ key: 'symbol', dir: 'asc' })
  const [filter, setFilter] = useState('')
  const watchOnlyInit = localStorage.getItem('vnt.watchOnly') === '1'
  const [watchOnly, setWatchOnly] = useState(watchOnlyInit)
  const wl = useValue(watch)
  // Row order is recomputed when the sort, the filter or the symbol set changes, and once a second for
  // value columns: a tick re-renders its row only, never the table.
  const [clock, setClock] = useState(0)
  useEffect(() => {
    if (spec.key === 'symbol') return
    const id = setInterval(() => setClock((c) => c + 1), 1000)
    return () => clearInterval(id)
  }, [spec.key])
  const order = useMemo(() => {
    const rows = symbols
      .entries()
      .map(([, s]) => s)
      .filter((s) => s.kind === 'vn30' || s.kind === 'other')
    return sortSymbols(rows, spec)
  }, [spec, clock, symbolSet])
  const shown = order.filter(
    (s) => (!watchOnly || wl.has(s)) && (!filter || s.includes(filter.toUpperCase())),
  )

  useEffect(() => {
    watchKeys.setMany(symbols.keys().map((k) => [k, watch.get().has(k)]))
  }, [symbolSet])
  useEffect(() => {
    boardTiming.active = true
    loadSparks().catch(() => undefined)
    const off = onMarketMessage((m) => {
      const ups: [string, ReturnType<typeof sparks.get>][] = []
      for (const k of Object.keys(m.data.symbols ?? {})) {
        const s = symbols.get(k)
        if (s) ups.push([k, foldSpark(sparks.get(k), s)])
      }
      sparks.setMany(ups.filter((u) => u[1] !== undefined) as [string, NonNullable<(typeof ups)[0][1]>][])
    })
    return () => {
      boardTiming.active = false
      off()
    }
  }, [])
  boardTiming.rows = shown.length

  return (
    <div className="flex flex-col gap-2">
      <div className="flex gap-2 flex-wrap">
        <IndexCard id="VN30" />
        <IndexCard id="VNINDEX" />
        <div className="card flex flex-col gap-1.5 text-xs ml-auto">
          <input
            placeholder={t('filter')}
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            className="w-40"
            data-testid="board-filter"
          />
          <label className="flex items-center gap-1.5 text-slate-300">
            <input
              type="checkbox"
              checked={watchOnly}
              data-testid="watch-only"
              onChange={(e) => {
                setWatchOnly(e.target.checked)
                localStorage.setItem('vnt.watchOnly', e.target.checked ? '1' : '0')
              }}
            />
            {t('watchOnly')} ({wl.size})
          </label>
          <span className="text-slate-500">{t('priceUnit')}</span>
        </div>
      </div>
      <div className="overflow-x-auto border border-line rounded">
        <table className="board-table w-full text-[12px] leading-5" data-testid="board">
          <thead className="bg-panel text-slate-400 text-[11px]">
            <tr>
              <th rowSpan={2}></th>
              {COLS.map((c) =>
                c.sort ? (
                  <SortTh key={c.key} label={t(c.key)} k={c.sort} spec={spec} set={setSpec} cls="text-left" />
                ) : (
                  <th key={c.key} rowSpan={2}>
                    {t(c.key)}
                  </th>
                ),
              )}
              <th colSpan={6} className="text-up/80">{t('bid')}</th>
              <th colSpan={4}>{t('matched')}</th>
              <th colSpan={6} className="text-down/80">{t('ask')}</th>
              <SortTh label={t('totalVol')} k="total_vol" spec={spec} set={setSpec} />
              <SortTh label={t('high')} k="high" spec={spec} set={setSpec} />
              <SortTh label={t('low')} k="low" spec={spec} set={setSpec} />
              <th colSpan={3}>{t('foreign')}</th>
              <SortTh label={t('activeBuy')} k="active_buy_ratio" spec={spec} set={setSpec} />
              <th rowSpan={2}>{t('trend')}</th>
            </tr>
            <tr>
              <th className="text-left text-[10px] font-normal">&nbsp;</th>
              {['3', '3', '2', '2', '1', '1'].map((n, i) => (
                <th key={`b${i}`} className="font-normal">
                  {i % 2 === 0 ? `${t('price')} ${n}` : `${t('vol')} ${n}`}
                </th>
              ))}
              <SortTh label={t('price')} k="last_price" spec={spec} set={setSpec} />
              <th className="font-normal">{t('vol')}</th>
              <SortTh label={t('change')} k="change" spec={spec} set={setSpec} />
              <SortTh label={t('changePct')} k="change_pct" spec={spec} set={setSpec} />
              {['1', '1', '2', '2', '3', '3'].map((n, i) => (
                <th key={`a${i}`} className="font-normal">
                  {i % 2 === 0 ? `${t('price')} ${n}` : `${t('vol')} ${n}`}
                </th>
              ))}
              <th></th>
              <th></th>
              <th></th>
              <th className="font-normal">{t('fBuy')}</th>
              <th className="font-normal">{t('fSell')}</th>
              <SortTh label={t('room')} k="room_used" spec={spec} set={setSpec} />
              <th></th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <Row key={s} sym={s} />
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <div className="p-4 text-slate-400">{order.length ? t('noData') : t('loading')}</div> : null}
      </div>
    </div>
  )
}
