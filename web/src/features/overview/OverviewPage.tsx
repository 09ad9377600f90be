// Market overview (issue 16, item 5): the VN30 heatmap, each stock's contribution in index points to the VN30's
// change, the whole-HOSE breadth from the VNINDEX frames and the put-through deals. Data: /api/market/overview,
// polled (every figure is the server's, from the feed).
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { fetchOverview } from './api'
import {
  DASH,
  fmtInt,
  fmtMoney,
  fmtPct,
  fmtPoints,
  fmtPrice,
  fmtRatio,
  fmtSigned,
  fmtVolL,
  timeOf,
} from '../../lib/ui/format'
import { signTone, toneClass } from '../../lib/ui/colors'
import { useLang, useT } from '../../lib/ui/i18n'
import { openSymbol } from '../../lib/state/router'
import { contributionRows, tileColor, treemap, type HeatMode, type HeatTile, type Overview } from './overview'

const POLL_MS = 3000

function useOverview(): { data: Overview | null; error: string | null } {
  const [data, setData] = useState<Overview | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () =>
      fetchOverview()
        .then((d) => {
          if (!alive) return
          setData(d)
          setError(null)
        })
        .catch((e) => alive && setError(String(e?.message ?? e)))
        .finally(() => {
          if (alive) timer = setTimeout(load, POLL_MS)
        })
    load()
    return () => {
      alive = false
      if (timer) clearTimeout(timer)
    }
  }, [])
  return { data, error }
}

function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null)
  const [w, setW] = useState(0)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    setW(el.clientWidth)
    const ro = new ResizeObserver(() => setW(el.clientWidth))
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  return [ref, w]
}

function Heatmap({ tiles }: { tiles: HeatTile[] }) {
  const t = useT()
  const l = useLang()
  const [mode, setMode] = useState<HeatMode>('change')
  const [box, width] = useWidth<HTMLDivElement>()
  const height = Math.round(Math.max(300, Math.min(460, width * (width < 500 ? 1.1 : 0.45))))
  const sorted = [...tiles].filter((x) => x.value > 0).sort((a, b) => b.value - a.value)
  const rects = treemap(
    sorted.map((x) => x.value),
    { x: 0, y: 0, w: width, h: height },
  )
  const scale = Math.max(0, ...tiles.map((x) => Math.abs(x.foreign_net_val ?? 0)))
  return (
    <div className="card min-w-0">
      <div className="flex flex-wrap items-center gap-2 mb-1">
        <h2 className="mb-0!">{t('heatmap')}</h2>
        <span className="text-xs text-slate-400">{t('heatSize')}</span>
        <span className="ml-auto flex items-center gap-1 text-xs" role="group" aria-label={t('heatColorBy')}>
          <span className="text-slate-400">{t('heatColorBy')}:</span>
          {(['change', 'foreign'] as const).map((m) => (
            <button
              key={m}
              data-testid={`heat-${m}`}
              className={'btn text-xs ' + (mode === m ? 'nav-on' : '')}
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
            >
              {m === 'change' ? t('heatByChange') : t('heatByForeign')}
            </button>
          ))}
        </span>
      </div>
      <div
        ref={box}
        className="relative w-full overflow-hidden"
        style={{ height }}
        data-testid="heatmap"
        data-mode={mode}
        data-tiles={sorted.length}
      >
        {width > 0
          ? sorted.map((x, i) => {
              const r = rects[i]
              const big = r.w > 56 && r.h > 34
              const label =
                mode === 'change'
                  ? fmtPct(x.change_pct)
                  : x.foreign_net_val === null
                    ? DASH
                    : fmtMoney(x.foreign_net_val, l, true)
              return (
                <button
                  key={x.symbol}
                  data-tile={x.symbol}
                  data-value={x.value}
                  data-change={x.change_pct ?? ''}
                  title={`${x.symbol} · ${fmtPrice(x.last)} · ${fmtPct(x.change_pct)} · ${t('value')} ${fmtMoney(x.value, l)} · ${t('heatByForeign')} ${x.foreign_net_val === null ? DASH : fmtMoney(x.foreign_net_val, l, true)}`}
                  onClick={() => openSymbol(x.symbol)}
                  className="absolute overflow-hidden text-white flex flex-col items-center justify-center leading-tight border border-black/40 hover:brightness-125"
                  style={{ left: r.x, top: r.y, width: r.w, height: r.h, background: tileColor(x, mode, scale) }}
                >
                  {r.w > 26 && r.h > 14 ? (
                    <span className={'font-semibold ' + (big ? 'text-sm' : 'text-[10px]')}>{x.symbol}</span>
                  ) : null}
                  {big ? <span className="num text-[11px]">{label}</span> : null}
                </button>
              )
            })
          : null}
      </div>
    </div>
  )
}

function Contributions({ o }: { o: Overview }) {
  const t = useT()
  const rows = contributionRows(o.tiles)
  const c = o.contributions
  const max = Math.max(0.01, ...rows.map((r) => Math.abs(r.points)))
  return (
    <div className="card min-w-0" data-testid="contributions" data-ready={c.ready ? 'true' : 'false'}>
      <h2>{t('contribTitle')}</h2>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm mb-2 num">
        <span>
          {t('contribChange')}:{' '}
          <b
            data-testid="contrib-change"
            data-value={c.index_change ?? ''}
            className={toneClass[signTone(c.index_change)]}
          >
            {fmtSigned(c.index_change)} {t('pointsShort')}
          </b>
        </span>
        <span>
          {t('contribSum')}:{' '}
          <b data-testid="contrib-sum" data-value={c.sum_points} className={toneClass[signTone(c.sum_points)]}>
            {fmtSigned(c.sum_points)} {t('pointsShort')}
          </b>
        </span>
        <span>
          {t('contribResidual')}:{' '}
          <b data-testid="contrib-residual" data-value={c.residual ?? ''}>
            {fmtSigned(c.residual === null ? null : Math.round(c.residual * 1000) / 1000 || 0, 3)}
          </b>
        </span>
      </div>
      {c.ready ? (
        <div className="text-xs text-slate-400 mb-2 num" data-testid="contrib-rebuilt">
          {t('contribRebuilt')}: <b className="text-slate-100">{fmtPoints(c.rebuilt_index)}</b> ({t('contribPricesAt')}{' '}
          {timeOf(c.prices_time)}, {t('contribIndexAt')} {timeOf(c.index_time)})
        </div>
      ) : (
        <div className="text-slate-400 text-sm mb-1">{t('contribWaiting')}</div>
      )}
      <table className="tbl w-full text-xs num" data-testid="contrib-table">
        <thead>
          <tr>
            <th className="text-left">{t('symbol')}</th>
            <th>{t('weight')}</th>
            <th className="w-1/2" />
            <th>{t('pointsShort')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr
              key={r.symbol}
              data-symbol={r.symbol}
              data-points={r.points}
              className="cursor-pointer hover:bg-slate-800/50"
              onClick={() => openSymbol(r.symbol)}
            >
              <td className="text-left font-semibold">{r.symbol}</td>
              <td>{fmtRatio(r.weight)}</td>
              <td>
                <div className="relative h-2.5 w-full">
                  <div className="absolute top-0 bottom-0 left-1/2 w-px bg-slate-600" />
                  <div
                    className={'absolute top-0 bottom-0 ' + (r.points >= 0 ? 'bg-up left-1/2' : 'bg-down right-1/2')}
                    style={{ width: `${(Math.abs(r.points) / max) * 50}%` }}
                  />
                </div>
              </td>
              <td className={toneClass[signTone(r.points)]}>{fmtSigned(r.points)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-[11px] text-slate-500 mt-1">{t('contribNote')}</p>
    </div>
  )
}

function BreadthRow({
  name,
  b,
  value,
  change,
  pct,
}: {
  name: string
  b: Overview['breadth']['vn30']
  value?: number | null
  change?: number
  pct?: number
}) {
  const t = useT()
  if (!b) return null
  const total = b.advances + b.declines + b.no_changes || 1
  return (
    <div
      className="mb-2"
      data-testid={`breadth-${name === 'VN30' ? 'vn30' : 'vnindex'}`}
      data-advances={b.advances}
      data-declines={b.declines}
      data-unchanged={b.no_changes}
    >
      <div className="flex flex-wrap items-baseline gap-x-3 text-sm num">
        <b className="text-slate-100">{name}</b>
        <span className="text-slate-100">{fmtPoints(value)}</span>
        <span className={toneClass[signTone(change)]}>
          {fmtSigned(change)} ({fmtPct(pct)})
        </span>
      </div>
      <div className="flex h-2.5 w-full rounded overflow-hidden my-1">
        <div className="bg-up" style={{ width: `${(b.advances / total) * 100}%` }} />
        <div className="bg-ref" style={{ width: `${(b.no_changes / total) * 100}%` }} />
        <div className="bg-down" style={{ width: `${(b.declines / total) * 100}%` }} />
      </div>
      <div className="flex flex-wrap gap-x-3 text-xs num">
        <span className="text-up">
          ▲ {t('advances')} {fmtInt(b.advances)}
        </span>
        <span className="text-ceil">
          {t('ceilings')} {fmtInt(b.ceilings)}
        </span>
        <span className="text-ref">
          ■ {t('unchanged')} {fmtInt(b.no_changes)}
        </span>
        <span className="text-down">
          ▼ {t('declines')} {fmtInt(b.declines)}
        </span>
        <span className="text-floor">
          {t('floors')} {fmtInt(b.floors)}
        </span>
        <span className="text-slate-400">
          {t('advRatio')} {fmtRatio(b.advance_ratio)}
        </span>
      </div>
    </div>
  )
}

function Breadth({ o }: { o: Overview }) {
  const t = useT()
  return (
    <div className="card min-w-0">
      <h2>{t('breadthTitle')}</h2>
      <div className="text-[11px] text-slate-500 mb-1">{t('breadthHose')}</div>
      <BreadthRow
        name="VNINDEX"
        b={o.breadth.vnindex}
        value={o.vnindex?.value}
        change={o.vnindex?.change}
        pct={o.vnindex?.change_pct}
      />
      <BreadthRow
        name="VN30"
        b={o.breadth.vn30}
        value={o.vn30?.value}
        change={o.vn30?.change}
        pct={o.vn30?.change_pct}
      />
    </div>
  )
}

function PutThrough({ o }: { o: Overview }) {
  const t = useT()
  const l = useLang()
  const pt = o.put_through
  return (
    <div className="card min-w-0" data-testid="put-through" data-symbols={pt.symbols.length}>
      <h2>{t('ptTitle')}</h2>
      <div className="text-xs text-slate-400 mb-1">{t('ptMarket')}</div>
      <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm num mb-2">
        {(['vnindex', 'vn30'] as const).map((k) => (
          <span key={k} data-testid={`pt-index-${k}`} data-value={pt.index[k]?.value ?? ''}>
            <b className="text-slate-100">{k === 'vn30' ? 'VN30' : 'VNINDEX'}</b> {t('vol')}{' '}
            {fmtVolL(pt.index[k]?.qty, l)} · {t('value')} {fmtMoney(pt.index[k]?.value, l)}
          </span>
        ))}
      </div>
      <div className="text-xs text-slate-400 mb-1">{t('ptBySymbol')}</div>
      {pt.symbols.length === 0 ? (
        <div className="text-slate-400 text-sm" data-testid="pt-none">
          {t('ptNone')}
        </div>
      ) : (
        <>
          <table className="tbl w-full text-xs num mb-2" data-testid="pt-symbols">
            <thead>
              <tr>
                <th className="text-left">{t('symbol')}</th>
                <th>{t('vol')}</th>
                <th>{t('value')}</th>
                <th>{t('ptCount')}</th>
                <th>{t('ptAvg')}</th>
              </tr>
            </thead>
            <tbody>
              {pt.symbols.map((r) => (
                <tr key={r.symbol} data-symbol={r.symbol}>
                  <td className="text-left font-semibold">{r.symbol}</td>
                  <td>{fmtVolL(r.volume, l)}</td>
                  <td>{fmtMoney(r.value, l)}</td>
                  <td>{fmtInt(r.deals)}</td>
                  <td>{fmtPrice(r.average_price)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="text-xs text-slate-400 mb-1">{t('ptDeals')}</div>
          <div className="max-h-60 overflow-y-auto">
            <table className="tbl w-full text-xs num" data-testid="pt-deals">
              <thead>
                <tr>
                  <th className="text-left">{t('time')}</th>
                  <th className="text-left">{t('symbol')}</th>
                  <th>{t('price')}</th>
                  <th>{t('vol')}</th>
                  <th>{t('value')}</th>
                </tr>
              </thead>
              <tbody>
                {pt.deals.map((d, i) => (
                  <tr key={i}>
                    <td className="text-left">{timeOf(d.time)}</td>
                    <td className="text-left font-semibold">{d.symbol}</td>
                    <td>{fmtPrice(d.price)}</td>
                    <td>{fmtInt(d.volume)}</td>
                    <td>{fmtMoney(d.value, l)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  )
}

export default function OverviewPage() {
  const t = useT()
  const { data, error } = useOverview()
  if (!data) return <div className="p-6 text-slate-400">{error ?? t('loading')}</div>
  return (
    <div
      className="grid gap-2 grid-cols-1 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] min-w-0"
      data-testid="overview-page"
    >
      <div className="flex flex-col gap-2 min-w-0">
        <Heatmap tiles={data.tiles} />
        <Breadth o={data} />
        <PutThrough o={data} />
      </div>
      <div className="flex flex-col gap-2 min-w-0">
        <Contributions o={data} />
      </div>
    </div>
  )
}
