import { useEffect, useRef, useState } from 'react'
import { fetchAlertPage } from './api'
import { onAlert } from '../../lib/state/market'
import { findFutures } from '../../lib/model/instruments'
import { useValue } from '../../lib/state/store'
import { timeOf } from '../../lib/ui/format'
import { lang, useT } from '../../lib/ui/i18n'
import { ALERT_TYPES, SEVERITIES, alertSentence, alertSubject, severityName, typeName } from '../../lib/model/alertText'
import { SEV_CLASS } from '../alerts/AlertToasts'
import { PAGE_SIZE, feedQuery, matchesFilter, mergeAlerts, type FeedFilter } from './feed'
import { RuleEditor } from './RuleEditor'
import { csvUrl } from '../../lib/ui/csv'
import { ExportCsv } from '../../components/ExportCsv'
import type { Alert } from '../../lib/model/types'

function useDebounced<T>(v: T, ms: number): T {
  const [d, setD] = useState(v)
  useEffect(() => {
    const id = setTimeout(() => setD(v), ms)
    return () => clearTimeout(id)
  }, [v, ms])
  return d
}

// Today's alerts from the server, a page at a time (before_id), filtered by the server; new ones arrive live.
function Feed() {
  const t = useT()
  const l = useValue(lang)
  const [type, setType] = useState('')
  const [severity, setSeverity] = useState('')
  const [symbolInput, setSymbolInput] = useState('')
  const symbol = useDebounced(symbolInput.trim().toUpperCase(), 300)
  const [list, setList] = useState<Alert[]>([])
  const [more, setMore] = useState(false)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState(false)
  const filter = useRef<FeedFilter>({ type: '', severity: '', symbol: '' })
  const generation = useRef(0) // answers to an earlier filter are dropped

  const load = async (beforeId?: number) => {
    const gen = generation.current
    setLoading(true)
    try {
      const page = await fetchAlertPage(feedQuery(filter.current, beforeId))
      if (gen !== generation.current) return
      setList((prev) => mergeAlerts(prev, page))
      setMore(page.length === PAGE_SIZE)
      setError(false)
    } catch {
      if (gen === generation.current) setError(true)
    } finally {
      if (gen === generation.current) setLoading(false)
    }
  }

  useEffect(() => {
    filter.current = { type, severity, symbol, krx: symbol ? findFutures(symbol)?.krx_code : undefined }
    generation.current++
    setList([])
    setMore(false)
    void load()
  }, [type, severity, symbol])

  useEffect(
    () =>
      onAlert((a) => {
        if (matchesFilter(a, filter.current)) setList((prev) => mergeAlerts([a], prev))
      }),
    [],
  )

  return (
    <div className="card flex-[3] min-w-0 sm:min-w-[560px]">
      <div className="flex items-center gap-2 mb-2 text-xs flex-wrap">
        <h2 className="mb-0! mr-2">{t('alertFeed')}</h2>
        <select value={type} onChange={(e) => setType(e.target.value)} data-testid="filter-type">
          <option value="">
            {t('type')}: {t('all')}
          </option>
          {ALERT_TYPES.map((x) => (
            <option key={x} value={x}>
              {typeName(x, l)}
            </option>
          ))}
        </select>
        <select value={severity} onChange={(e) => setSeverity(e.target.value)} data-testid="filter-severity">
          <option value="">
            {t('severity')}: {t('all')}
          </option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {severityName(s, l)}
            </option>
          ))}
        </select>
        <input
          placeholder={t('symbol')}
          value={symbolInput}
          onChange={(e) => setSymbolInput(e.target.value)}
          className="w-24"
          data-testid="filter-symbol"
        />
        <span className="text-slate-500 ml-auto" data-testid="alert-count">
          {list.length}
        </span>
        <ExportCsv
          testid="export-alerts"
          href={csvUrl(feedQuery({ type, severity, symbol, krx: symbol ? findFutures(symbol)?.krx_code : undefined }), {
            limit: 500,
          })}
        />
      </div>
      <div className="max-h-[760px] overflow-auto">
        <table className="tbl w-full text-xs min-w-[520px]" data-testid="alert-feed">
          <thead className="sticky top-0 bg-panel">
            <tr>
              <th>{t('time')}</th>
              <th className="text-left!">{t('severity')}</th>
              <th className="text-left!">{t('type')}</th>
              <th className="text-left!">{t('symbol')}</th>
              <th className="text-left!">{t('message')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-alert-id={a.id} data-alert-type={a.type} data-rule={a.rule_id || undefined}>
                <td className="num text-slate-400 text-left!">{timeOf(a.time)}</td>
                <td className="text-left!">
                  <span className={`px-1.5 rounded text-[10px] uppercase ${SEV_CLASS[a.severity] ?? ''}`}>
                    {severityName(a.severity, l)}
                  </span>
                </td>
                <td className="text-left! text-slate-300">{typeName(a.type, l)}</td>
                <td className="text-left! font-semibold text-slate-100">{alertSubject(a)}</td>
                <td className="text-left! text-slate-300 whitespace-normal">{alertSentence(a, l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.length === 0 && !loading ? <div className="p-3 text-slate-500 text-sm">{t('noAlerts')}</div> : null}
        <div className="flex items-center gap-3 p-2 text-xs">
          {more ? (
            <button
              className="btn"
              data-testid="alerts-older"
              disabled={loading}
              onClick={() => void load(list.length ? list[list.length - 1].id : undefined)}
            >
              {t('loadOlder')}
            </button>
          ) : list.length > 0 ? (
            <span className="text-slate-500">{t('noOlder')}</span>
          ) : null}
          {loading ? <span className="text-slate-500">{t('loading')}</span> : null}
          {error ? <span className="text-down">{t('loadFailed')}</span> : null}
        </div>
      </div>
    </div>
  )
}

export default function SignalsPage() {
  return (
    <div className="flex flex-col lg:flex-row gap-2 lg:items-start" data-testid="signals-page">
      <Feed />
      <RuleEditor />
    </div>
  )
}
