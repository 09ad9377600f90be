import { useMemo, useState } from 'react'
import { futures, indices, symbols } from '../../lib/state/market'
import { useValue, useSyncKeys } from '../../lib/state/hooks'
import { useKey } from '../../lib/state/store'
import { fmtInt, fmtPct, fmtPoints, fmtPrice } from '../../lib/ui/format'
import { priceTone, signTone, toneClass } from '../../lib/ui/colors'
import { useT } from '../../lib/ui/i18n'
import { openSymbol } from '../../lib/state/router'
import { PriceChart, type ChartInstrument } from '../symbol/PriceChart'

type Option = ChartInstrument & { label: string }

function Quote({ inst }: { inst: Option }) {
  const t = useT()
  const s = useKey(symbols, inst.apiId)
  const x = useKey(indices, inst.apiId)
  const fs = useValue(futures)
  if (inst.kind === 'stock') {
    if (!s) return null
    const tone = toneClass[priceTone(s.last_price, s.ref_price, s.ceiling, s.floor)]
    return (
      <span className={`num ${tone}`}>
        {fmtPrice(s.last_price)} {fmtPct(s.change_pct)} · {t('totalVol')} {fmtInt(s.total_vol)}
      </span>
    )
  }
  if (inst.kind === 'index') {
    return x ? (
      <span className={`num ${toneClass[signTone(x.change)]}`}>
        {fmtPoints(x.value)} {fmtPct(x.change_pct)}
      </span>
    ) : null
  }
  const f = fs.find((c) => c.krx_code === inst.apiId)
  return f ? (
    <span className={`num ${toneClass[signTone(f.change)]}`}>
      {f.symbol} {fmtPoints(f.last, 1)} {fmtPct(f.change_pct)} · {t('basis')} {fmtPoints(f.basis)}
    </span>
  ) : null
}

export default function ChartsPage() {
  const t = useT()
  const keys = useSyncKeys()
  const fut = useValue(futures)
  const options = useMemo<Option[]>(() => {
    const stocks = keys.filter((k) => symbols.get(k)?.kind !== 'futures').sort()
    return [
      { name: 'VN30', apiId: 'VN30', label: t('vn30Index'), kind: 'index' as const },
      { name: 'VNINDEX', apiId: 'VNINDEX', label: 'VNINDEX', kind: 'index' as const },
      ...fut.map((f) => ({
        name: f.alias ?? f.symbol,
        apiId: f.krx_code,
        label: `${f.alias} (${f.symbol})`,
        kind: 'futures' as const,
      })),
      ...stocks.map((s) => ({ name: s, apiId: s, label: s, kind: 'stock' as const })),
    ]
    // Rebuilt when the symbol or contract count or the language changes, not on every new array identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys.length, fut.length, t('vn30Index')])
  const [sel, setSel] = useState(() => new URLSearchParams(location.search).get('symbol') ?? 'VN30')
  const inst = options.find((o) => o.name === sel) ?? { name: sel, apiId: sel, label: sel, kind: 'stock' as const }
  const s = useKey(symbols, inst.apiId)
  const x = useKey(indices, inst.apiId)
  const lines =
    inst.kind === 'stock'
      ? { ref: s?.ref_price, ceiling: s?.ceiling, floor: s?.floor }
      : inst.kind === 'index'
        ? { ref: x?.prior_value }
        : undefined
  return (
    <div className="flex flex-col gap-2" data-testid="charts-page">
      <div className="flex items-center gap-3 text-sm flex-wrap">
        <label className="text-slate-400">{t('instrument')}</label>
        <select
          value={sel}
          data-testid="chart-symbol"
          onChange={(e) => {
            setSel(e.target.value)
            history.replaceState(null, '', `/charts?symbol=${e.target.value}`)
          }}
        >
          {options.map((o) => (
            <option key={o.name} value={o.name}>
              {o.label}
            </option>
          ))}
        </select>
        <Quote inst={inst} />
        <button className="btn text-xs" onClick={() => openSymbol(inst.name)} data-testid="chart-open-symbol">
          {t('symbolPage')} →
        </button>
      </div>
      <PriceChart
        key={inst.apiId}
        inst={inst}
        lines={lines}
        height={Math.max(320, Math.min(640, (typeof window !== 'undefined' ? window.innerHeight : 800) - 190))}
      />
    </div>
  )
}
