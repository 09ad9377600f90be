import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { boardTiming, indexSeries, indices, onMarketMessage, symbols } from '../../lib/state/market'
import { KeyedStore, ValueStore, useKey, useValue } from '../../lib/state/store'
import { fmtInt, fmtMoney, fmtPct, fmtPoints, fmtPrice, fmtRatio, fmtSigned, fmtVolL } from '../../lib/ui/format'
import { priceTone, signTone, toneClass, toneHex } from '../../lib/ui/colors'
import { sortSymbols, type SortKey, type SortSpec } from './sort'
import { useLang, useT, type Key } from '../../lib/ui/i18n'
import { openSymbol, symbolPath } from '../../lib/state/router'
import { connection } from '../../lib/transport/connection'
import { usePhone } from '../../lib/ui/media'
import { csvUrl } from '../../lib/ui/csv'
import { matchesFilter, moveSelection, parseFilter, typeahead } from './boardFilter'
import {
  activeList,
  addList,
  removeActive,
  setActive,
  toggleSymbol,
  updateWatchlists,
  watchlists,
} from '../../lib/state/watchlists'
import { Sparkline } from '../../components/Sparkline'
import { ExportCsv } from '../../components/ExportCsv'
import { foldSpark, loadSparks, sparks } from './sparks'
import { ROW_CELLS, RowView, SPARK_H, SPARK_W } from './rowView'

// ---- watchlists (lib/state/watchlists.ts): the star is membership of the active list ----
const watchKeys = new KeyedStore<boolean>()
function syncWatchKeys(): void {
  const inList = new Set(activeList(watchlists.get()).symbols)
  watchKeys.setMany(symbols.keys().map((k) => [k, inList.has(k)]))
}
watchlists.subscribe(syncWatchKeys)
const toggleWatch = (sym: string) => updateWatchlists((w) => toggleSymbol(w, sym))

// ---- the keyboard selection: a row marked by its own store key, so moving it re-renders two rows ----
export const selected = new ValueStore<string | null>(null)
const selKeys = new KeyedStore<boolean>()
function select(sym: string | null): void {
  const prev = selected.get()
  if (prev === sym) return
  const ups: [string, boolean][] = []
  if (prev) ups.push([prev, false])
  if (sym) ups.push([sym, true])
  selected.set(sym)
  selKeys.setMany(ups)
  if (sym && typeof document !== 'undefined') {
    document.querySelector(`tr[data-symbol="${sym}"], [data-card="${sym}"]`)?.scrollIntoView?.({ block: 'nearest' })
  }
}

// A row: React renders its cells once (and again only for the watch star and the selection); the RowView
// writes each update of the symbol's store and sparkline straight into the cells, synchronously inside the
// store notification, so a tick costs no React render (see rowView.ts).
const CELL_SLOTS = Array.from({ length: ROW_CELLS }, (_, i) => i)

const Row = memo(function Row({ sym }: { sym: string }) {
  const watched = useKey(watchKeys, sym) ?? false
  const isSel = useKey(selKeys, sym) ?? false
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
    <tr
      ref={tr}
      data-symbol={sym}
      data-selected={isSel ? '' : undefined}
      onClick={(e) => {
        if (e.button === 0 && !e.metaKey && !e.ctrlKey) openSymbol(sym)
      }}
    >
      <td className="text-center">
        <button
          aria-label={`watch ${sym}`}
          className={watched ? 'text-ref' : 'text-slate-600 hover:text-slate-300'}
          onClick={(e) => {
            e.stopPropagation()
            toggleWatch(sym)
          }}
        >
          ★
        </button>
      </td>
      {CELL_SLOTS.map((i) => (
        <td key={i} />
      ))}
      <td className="px-1">
        <svg
          ref={svg}
          width={SPARK_W}
          height={SPARK_H}
          viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}
          preserveAspectRatio="none"
          className="block spark"
        />
      </td>
    </tr>
  )
})

function IndexCard({ id }: { id: string }) {
  const x = useKey(indices, id)
  const series = useKey(indexSeries, id)
  const tone = signTone(x?.change)
  return (
    <a
      href={symbolPath(id)}
      onClick={(e) => {
        e.preventDefault()
        openSymbol(id)
      }}
      className="card index-card flex items-center gap-3"
      data-index={id}
    >
      <div>
        <div className="text-xs text-slate-400">{id}</div>
        <div className={`num text-xl font-semibold leading-6 ${toneClass[tone]}`}>{fmtPoints(x?.value)}</div>
        <div className={`num text-xs ${toneClass[tone]}`}>
          {fmtSigned(x?.change)} ({fmtPct(x?.change_pct)})
        </div>
      </div>
      <span className="index-spark">
        <Sparkline
          values={(series ?? []).map((p) => p[1])}
          refLine={x?.prior_value}
          width={110}
          height={36}
          color={toneHex[tone]}
        />
      </span>
      <Breadth x={x} />
    </a>
  )
}

function Breadth({ x }: { x: ReturnType<typeof indices.get> }) {
  const t = useT()
  const l = useLang()
  if (!x) return null
  return (
    <div className="num text-xs grid grid-cols-[auto_auto] gap-x-3">
      <span className="text-up">
        ▲ {x.advances} <span className="text-ceil">({x.ceilings})</span>
      </span>
      <span className="text-slate-400">
        {t('vol')} <span className="text-slate-200">{fmtVolL(x.total_qtty, l)}</span>
      </span>
      <span className="text-ref">■ {x.no_changes}</span>
      <span className="text-slate-400">
        {t('value')} <span className="text-slate-200">{fmtMoney(x.total_value, l)}</span>
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

function SortTh({
  label,
  k,
  spec,
  set,
  cls = '',
  title,
  rowSpan,
}: {
  label: string
  k: SortKey
  spec: SortSpec
  set: (s: SortSpec) => void
  cls?: string
  title?: string
  rowSpan?: number
}) {
  const on = spec.key === k
  return (
    <th
      rowSpan={rowSpan}
      className={`cursor-pointer select-none hover:text-slate-50 ${on ? 'text-slate-50' : ''} ${cls}`}
      data-sort={k}
      title={title}
      onClick={() => set({ key: k, dir: on && spec.dir === 'desc' ? 'asc' : k === 'symbol' && !on ? 'asc' : 'desc' })}
    >
      {label}
      {on ? (spec.dir === 'asc' ? ' ▲' : ' ▼') : ''}
    </th>
  )
}

// ---- the phone board: a card per symbol (a React render per tick of that symbol is fine there) ----
const Card = memo(function Card({ sym }: { sym: string }) {
  const s = useKey(symbols, sym)
  const watched = useKey(watchKeys, sym) ?? false
  const isSel = useKey(selKeys, sym) ?? false
  const t = useT()
  const l = useLang()
  if (!s) return null
  const ind = s.indicative_price && (s.session === 'ATO' || s.session === 'ATC') ? s.indicative_price : null
  const px = ind ?? s.last_price
  const tone = toneClass[priceTone(px, s.ref_price, s.ceiling, s.floor)]
  const chg = ind !== null && s.ref_price ? ind - s.ref_price : s.change
  const pct = ind !== null && s.ref_price ? ((ind - s.ref_price) / s.ref_price) * 100 : s.change_pct
  const b1 = s.bid?.[0]
  const a1 = s.ask?.[0]
  return (
    <div
      className="card sym-card"
      data-card={sym}
      data-selected={isSel ? '' : undefined}
      onClick={() => openSymbol(sym)}
    >
      <div className="flex items-center gap-2">
        <button
          aria-label={`watch ${sym}`}
          className={watched ? 'text-ref' : 'text-slate-600'}
          onClick={(e) => {
            e.stopPropagation()
            toggleWatch(sym)
          }}
        >
          ★
        </button>
        <span className={`font-bold text-base ${tone}`}>{sym}</span>
        <span className={`num ml-auto text-lg font-semibold ${tone} ${ind !== null ? 'indicative' : ''}`}>
          {fmtPrice(px)}
        </span>
        <span className={`num text-xs w-24 text-right ${tone}`}>
          {chg === null || chg === undefined ? '–' : fmtSigned(chg / 1000)} {fmtPct(pct)}
        </span>
      </div>
      <div className="flex justify-between text-[11px] num text-slate-400 mt-1">
        <span>
          {t('ref')} <span className="text-ref">{fmtPrice(s.ref_price)}</span> {t('ceiling')}{' '}
          <span className="text-ceil">{fmtPrice(s.ceiling)}</span> {t('floor')}{' '}
          <span className="text-floor">{fmtPrice(s.floor)}</span>
        </span>
        <span>
          {t('totalVol')} <span className="text-slate-200">{fmtVolL(s.total_vol, l)}</span>
        </span>
      </div>
      <div className="flex justify-between text-[11px] num text-slate-400">
        <span>
          {t('value')}{' '}
          <span className="text-slate-200" data-testid="card-value">
            {fmtMoney(s.total_val, l)}
          </span>
        </span>
        <span>
          {t('avgPrice')}{' '}
          <span className={toneClass[priceTone(s.vwap, s.ref_price, s.ceiling, s.floor)]} data-testid="card-avg">
            {fmtPrice(s.vwap)}
          </span>
        </span>
      </div>
      <div className="flex flex-wrap justify-between gap-x-2 text-[11px] num text-slate-400">
        <span>
          {t('bid')}{' '}
          <span className={toneClass[priceTone(b1?.[0], s.ref_price, s.ceiling, s.floor)]}>
            {b1 ? fmtPrice(b1[0]) : '–'}
          </span>
          {b1 ? ` × ${fmtInt(b1[1])}` : ''}
        </span>
        <span>
          {t('ask')}{' '}
          <span className={toneClass[priceTone(a1?.[0], s.ref_price, s.ceiling, s.floor)]}>
            {a1 ? fmtPrice(a1[0]) : '–'}
          </span>
          {a1 ? ` × ${fmtInt(a1[1])}` : ''}
        </span>
        <span>
          {t('activeBuy')}{' '}
          <span className={s.active_buy_ratio === null ? '' : s.active_buy_ratio >= 0.5 ? 'text-up' : 'text-down'}>
            {fmtRatio(s.active_buy_ratio)}
          </span>
        </span>
      </div>
    </div>
  )
})

function WatchlistBar({ watchOnly, setWatchOnly }: { watchOnly: boolean; setWatchOnly: (v: boolean) => void }) {
  const t = useT()
  const w = useValue(watchlists)
  const [adding, setAdding] = useState(false)
  const [name, setName] = useState('')
  const list = activeList(w)
  return (
    <div className="flex items-center gap-1.5 flex-wrap">
      <select
        value={w.active}
        onChange={(e) => updateWatchlists((x) => setActive(x, Number(e.target.value)))}
        data-testid="watchlist-select"
        aria-label={t('listSelect')}
        className="max-w-40"
      >
        {w.lists.map((l, i) => (
          <option key={i} value={i}>
            {l.name} ({l.symbols.length})
          </option>
        ))}
      </select>
      {adding ? (
        <form
          className="flex gap-1"
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) updateWatchlists((x) => addList(x, name))
            setName('')
            setAdding(false)
          }}
        >
          <input
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t('listName')}
            className="w-28"
            data-testid="watchlist-name"
          />
          <button className="btn" type="submit" data-testid="watchlist-add">
            {t('add')}
          </button>
        </form>
      ) : (
        <button
          className="btn"
          title={t('newList')}
          aria-label={t('newList')}
          onClick={() => setAdding(true)}
          data-testid="watchlist-new"
        >
          +
        </button>
      )}
      <button
        className="btn"
        title={t('deleteList')}
        aria-label={t('deleteList')}
        onClick={() => updateWatchlists(removeActive)}
        data-testid="watchlist-delete"
      >
        −
      </button>
      <label className="flex items-center gap-1.5 text-slate-300 whitespace-nowrap">
        <input
          type="checkbox"
          checked={watchOnly}
          data-testid="watch-only"
          onChange={(e) => setWatchOnly(e.target.checked)}
        />
        {t('watchOnly')} ({list.symbols.length})
      </label>
    </div>
  )
}

export function Board() {
  const t = useT()
  // The table itself re-renders only when the symbol set changes (a new day's snapshot), never per tick.
  const symbolSet = useSyncExternalStore(symbols.subscribeAll, () => symbols.getKeysVersion())
  const [spec, setSpec] = useState<SortSpec>({ key: 'symbol', dir: 'asc' })
  const [filter, setFilter] = useState('')
  const [watchOnly, setWatchOnlyState] = useState(() => localStorage.getItem('vnt.watchOnly') === '1')
  const setWatchOnly = (v: boolean) => {
    setWatchOnlyState(v)
    localStorage.setItem('vnt.watchOnly', v ? '1' : '0')
  }
  const wl = useValue(watchlists)
  const conn = useValue(connection).state
  const phone = usePhone()
  const filterRef = useRef<HTMLInputElement>(null)
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
    // `symbols` is a mutable store: `clock` and `symbolSet` are the triggers that re-read it (see above).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [spec, clock, symbolSet])
  const codes = useMemo(() => parseFilter(filter), [filter])
  const inList = new Set(activeList(wl).symbols)
  const shown = order.filter((s) => (!watchOnly || inList.has(s)) && matchesFilter(s, codes))
  const shownRef = useRef(shown)
  shownRef.current = shown

  useEffect(() => {
    syncWatchKeys()
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

  // Keyboard: type a ticker to jump to it, arrows move, Enter opens the symbol page, / focuses the filter,
  // Escape clears. A typed code that is not on the board opens on Enter too (VN30F1M, VNINDEX...).
  useEffect(() => {
    let typed = ''
    let typedAt = 0
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return
      const el = e.target as HTMLElement | null
      const inFilter = el !== null && el === filterRef.current
      const editable =
        !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
      if (editable && !inFilter) return
      const list = shownRef.current
      const now = Date.now()
      if (now - typedAt > 2000) typed = ''
      switch (e.key) {
        case '/':
          if (inFilter) return
          e.preventDefault()
          filterRef.current?.focus()
          filterRef.current?.select()
          return
        case 'ArrowDown':
        case 'ArrowUp':
        case 'PageDown':
        case 'PageUp': {
          e.preventDefault()
          typed = ''
          const d = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : e.key === 'PageDown' ? 10 : -10
          select(moveSelection(list, selected.get(), d))
          return
        }
        case 'Enter': {
          if (el && (el.tagName === 'BUTTON' || el.tagName === 'A')) return // Enter on a focused button is its own
          const sel = selected.get()
          const target =
            typed && !(sel ?? '').startsWith(typed)
              ? typed
              : sel && list.includes(sel)
                ? sel
                : inFilter
                  ? list[0]
                  : null
          if (target) {
            e.preventDefault()
            typed = ''
            openSymbol(target)
          }
          return
        }
        case 'Escape':
          typed = ''
          if (inFilter) filterRef.current?.blur()
          else select(null)
          return
        default:
          break
      }
      if (inFilter) return
      if (/^[a-zA-Z0-9]$/.test(e.key)) {
        e.preventDefault()
        typed += e.key.toUpperCase()
        typedAt = now
        const hit = typeahead(list, typed)
        if (hit) select(hit)
      } else if (e.key === 'Backspace' && typed) {
        e.preventDefault()
        typed = typed.slice(0, -1)
        typedAt = now
        const hit = typeahead(list, typed)
        if (hit) select(hit)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  boardTiming.rows = shown.length
  const dim = conn === 'reconnecting' || conn === 'stale'
  const exportHref = csvUrl('/api/market/snapshot', { symbols: codes.length || watchOnly ? shown.join(',') : null })

  return (
    <div className="flex flex-col gap-2" data-testid="board-page">
      <div className="flex gap-2 flex-wrap">
        <IndexCard id="VN30" />
        <IndexCard id="VNINDEX" />
        <div className="card board-tools flex flex-col gap-1.5 text-xs ml-auto">
          <div className="flex items-center gap-1.5">
            <input
              ref={filterRef}
              placeholder={t('filter')}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              className="w-44"
              data-testid="board-filter"
              aria-label={t('filter')}
            />
            <ExportCsv testid="export-board" href={exportHref} />
          </div>
          <WatchlistBar watchOnly={watchOnly} setWatchOnly={setWatchOnly} />
          <span className="text-slate-500 hidden sm:inline" title={`${t('keysHint')}\n${t('indicativeNote')}`}>
            {t('priceUnit')} <span className="board-hint">· {t('keysHint')}</span>{' '}
            <span className="cursor-help">(?)</span>
          </span>
        </div>
      </div>
      {phone ? (
        <div
          className={`flex flex-col gap-1.5 ${dim ? 'board-dim' : ''}`}
          data-testid="board-cards"
          data-dim={dim ? '' : undefined}
        >
          {shown.map((s) => (
            <Card key={s} sym={s} />
          ))}
        </div>
      ) : (
        <div
          className={`board-wrap border border-line rounded ${dim ? 'board-dim' : ''}`}
          data-testid="board-wrap"
          data-dim={dim ? '' : undefined}
        >
          <table className="board-table w-full" data-testid="board">
            <thead>
              <tr>
                <th rowSpan={2} className="stick-0"></th>
                {COLS.map((c) =>
                  c.sort ? (
                    <SortTh key={c.key} label={t(c.key)} k={c.sort} spec={spec} set={setSpec} cls="text-left stick-1" />
                  ) : (
                    <th key={c.key} rowSpan={2}>
                      {t(c.key)}
                    </th>
                  ),
                )}
                <th colSpan={6} className="text-up/80">
                  {t('bid')}
                </th>
                <th colSpan={4}>{t('matched')}</th>
                <th colSpan={6} className="text-down/80">
                  {t('ask')}
                </th>
                {/* Two header rows tall and allowed to wrap ("Value" over "(bn)"): where the screen is narrow the
                    table takes these columns down to their widest word instead of overflowing. */}
                <SortTh label={t('totalVol')} k="total_vol" spec={spec} set={setSpec} rowSpan={2} cls="th-wrap" />
                <SortTh
                  label={t('valueBnCol')}
                  title={t('valueBnTitle')}
                  k="total_val"
                  spec={spec}
                  set={setSpec}
                  rowSpan={2}
                  cls="th-wrap"
                />
                <SortTh
                  label={t('avgCol')}
                  title={t('avgTitle')}
                  k="vwap"
                  spec={spec}
                  set={setSpec}
                  rowSpan={2}
                  cls="th-wrap"
                />
                <SortTh label={t('high')} k="high" spec={spec} set={setSpec} rowSpan={2} cls="th-wrap" />
                <SortTh label={t('low')} k="low" spec={spec} set={setSpec} rowSpan={2} cls="th-wrap" />
                <th colSpan={3}>{t('foreign')}</th>
                <SortTh
                  label={t('activeBuy')}
                  k="active_buy_ratio"
                  spec={spec}
                  set={setSpec}
                  rowSpan={2}
                  cls="th-wrap"
                />
                <th rowSpan={2}>{t('trend')}</th>
              </tr>
              <tr>
                <th className="text-left font-normal stick-1">&nbsp;</th>
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
                <th className="font-normal">{t('fBuy')}</th>
                <th className="font-normal">{t('fSell')}</th>
                <SortTh label={t('room')} k="room" spec={spec} set={setSpec} />
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <Row key={s} sym={s} />
              ))}
            </tbody>
          </table>
          {shown.length === 0 ? (
            <div className="p-4 text-slate-400">{order.length ? t('noData') : t('loading')}</div>
          ) : null}
        </div>
      )}
    </div>
  )
}
