import { useEffect, useState } from 'react'
import { api } from '../../lib/api'
import { alerts, onAlert } from '../../lib/market'
import { useValue } from '../../lib/store'
import { timeOf } from '../../lib/format'
import { useT } from '../../lib/i18n'
import type { Alert, AlertRule } from '../../lib/types'

const TYPES = ['volume_spike', 'price_breakout', 'foreign_acceleration', 'basis_divergence', 'velocity_divergence', 'imbalance_extreme', 'user_rule']
const METRICS = [
  'last_price', 'change', 'change_pct', 'total_vol', 'total_val', 'trade_count', 'vwap', 'active_buy_vol', 'active_sell_vol',
  'active_buy_ratio', 'active_buy_ratio_5m', 'foreign_buy_vol', 'foreign_sell_vol', 'foreign_net_vol', 'foreign_net_val',
  'foreign_net_speed_vol', 'foreign_net_speed_val', 'foreign_net_accel_val', 'room_used_pct', 'basis', 'basis_pct', 'fair_basis',
  'basis_minus_fair', 'index_value', 'index_change_pct', 'advances', 'declines',
]
const SEV_CLASS: Record<string, string> = {
  info: 'bg-sky-900/60 text-sky-200',
  warning: 'bg-amber-900/60 text-amber-200',
  critical: 'bg-red-900/70 text-red-100',
}

// A short two-tone beep (Web Audio; no asset to load).
function beep(): void {
  try {
    const ctx = new AudioContext()
    const o = ctx.createOscillator()
    const g = ctx.createGain()
    o.frequency.value = 880
    g.gain.setValueAtTime(0.15, ctx.currentTime)
    g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4)
    o.connect(g).connect(ctx.destination)
    o.start()
    o.frequency.setValueAtTime(660, ctx.currentTime + 0.15)
    o.stop(ctx.currentTime + 0.4)
    o.onended = () => ctx.close()
  } catch {
    /* audio unavailable */
  }
}

function Feed() {
  const t = useT()
  const list = useValue(alerts)
  const [type, setType] = useState('')
  const [sev, setSev] = useState('')
  const [sym, setSym] = useState('')
  const [sound, setSound] = useState(localStorage.getItem('vnt.sound') === '1')
  useEffect(
    () =>
      onAlert((a) => {
        if (sound && a.severity === 'critical') beep()
      }),
    [sound],
  )
  const shown = list.filter(
    (a: Alert) => (!type || a.type === type) && (!sev || a.severity === sev) && (!sym || a.symbol.includes(sym.toUpperCase())),
  )
  return (
    <div className="card flex-[3] min-w-[560px]">
      <div className="flex items-center gap-2 mb-2 text-xs flex-wrap">
        <h2 className="mb-0! mr-2">{t('alertFeed')}</h2>
        <select value={type} onChange={(e) => setType(e.target.value)} data-testid="filter-type">
          <option value="">{t('type')}: {t('all')}</option>
          {TYPES.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
        <select value={sev} onChange={(e) => setSev(e.target.value)} data-testid="filter-severity">
          <option value="">{t('severity')}: {t('all')}</option>
          <option value="info">info</option>
          <option value="warning">warning</option>
          <option value="critical">critical</option>
        </select>
        <input placeholder={t('symbol')} value={sym} onChange={(e) => setSym(e.target.value)} className="w-24" data-testid="filter-symbol" />
        <label className="flex items-center gap-1 ml-auto text-slate-300">
          <input
            type="checkbox"
            checked={sound}
            onChange={(e) => {
              setSound(e.target.checked)
              localStorage.setItem('vnt.sound', e.target.checked ? '1' : '0')
              if (e.target.checked) beep()
            }}
          />
          {t('sound')}
        </label>
        <span className="text-slate-500">
          {shown.length}/{list.length}
        </span>
      </div>
      <div className="max-h-[760px] overflow-y-auto">
        <table className="tbl w-full text-xs" data-testid="alert-feed">
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
            {shown.slice(0, 300).map((a) => (
              <tr key={a.id} data-alert-type={a.type} data-rule={a.rule_id || undefined}>
                <td className="num text-slate-400 text-left!">{timeOf(a.time)}</td>
                <td className="text-left!">
                  <span className={`px-1.5 rounded text-[10px] uppercase ${SEV_CLASS[a.severity]}`}>{a.severity}</span>
                </td>
                <td className="text-left! text-slate-300">{a.type}</td>
                <td className="text-left! font-semibold text-slate-100">{a.symbol}</td>
                <td className="text-left! text-slate-300 whitespace-normal">{a.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {shown.length === 0 ? <div className="p-3 text-slate-500 text-sm">{t('noAlerts')}</div> : null}
      </div>
    </div>
  )
}

const EMPTY = { name: '', metric: 'last_price', symbol: '', comparison: '>=', threshold: '', cooldown_sec: '60', severity: 'warning' }

function Rules() {
  const t = useT()
  const [rules, setRules] = useState<AlertRule[]>([])
  const [form, setForm] = useState(EMPTY)
  const [error, setError] = useState<string | null>(null)
  const reload = () =>
    api<AlertRule[]>('/api/alerts/rules')
      .then(setRules)
      .catch((e) => setError(e.message))
  useEffect(() => {
    reload()
  }, [])
  const create = async (e: React.FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await api('/api/alerts/rules', {
        method: 'POST',
        body: JSON.stringify({
          name: form.name, metric: form.metric, symbol: form.symbol.trim().toUpperCase() || '*', comparison: form.comparison,
          threshold: Number(form.threshold), cooldown_sec: Number(form.cooldown_sec), severity: form.severity, enabled: true,
        }),
      })
      setForm(EMPTY)
      reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const update = async (r: AlertRule, patch: Partial<AlertRule>) => {
    try {
      await api(`/api/alerts/rules/${r.id}`, { method: 'PUT', body: JSON.stringify({ ...r, ...patch }) })
      reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const remove = async (r: AlertRule) => {
    try {
      await api(`/api/alerts/rules/${r.id}`, { method: 'DELETE' })
      reload()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  const f = (k: keyof typeof EMPTY) => ({ value: form[k], onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }) })
  return (
    <div className="card flex-[2] min-w-[440px]">
      <h2>{t('rules')}</h2>
      <form onSubmit={create} className="grid grid-cols-2 gap-x-3 gap-y-1.5 text-xs mb-3" data-testid="rule-form">
        <label className="flex flex-col gap-0.5">
          {t('name')}
          <input {...f('name')} name="name" />
        </label>
        <label className="flex flex-col gap-0.5">
          {t('symbol')} (* = all)
          <input {...f('symbol')} name="symbol" placeholder="ACB, VN30F1M, VN30" />
        </label>
        <label className="flex flex-col gap-0.5">
          {t('metric')}
          <select {...f('metric')} name="metric">
            {METRICS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        <div className="flex gap-2">
          <label className="flex flex-col gap-0.5 w-16">
            {t('comparison')}
            <select {...f('comparison')} name="comparison">
              {['>', '>=', '<', '<=', '=='].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-0.5 flex-1">
            {t('threshold')}
            <input {...f('threshold')} name="threshold" required inputMode="decimal" />
          </label>
        </div>
        <label className="flex flex-col gap-0.5">
          {t('cooldown')}
          <input {...f('cooldown_sec')} name="cooldown_sec" inputMode="numeric" />
        </label>
        <label className="flex flex-col gap-0.5">
          {t('severity')}
          <select {...f('severity')} name="severity">
            <option>info</option>
            <option>warning</option>
            <option>critical</option>
          </select>
        </label>
        <div className="col-span-2 flex items-center gap-3">
          <button className="btn bg-sky-800! border-sky-600!" type="submit" data-testid="rule-create">
            {t('create')}
          </button>
          {error ? <span className="text-down">{error}</span> : null}
        </div>
      </form>
      <table className="tbl w-full text-xs" data-testid="rules">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th className="text-left!">{t('symbol')}</th>
            <th className="text-left!">{t('metric')}</th>
            <th>{t('threshold')}</th>
            <th>{t('enabled')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id} data-rule-id={r.id}>
              <td className="text-slate-100">{r.name || `#${r.id}`}</td>
              <td className="text-left!">{r.symbol}</td>
              <td className="text-left! text-slate-300">
                {r.metric} {r.comparison}
              </td>
              <td className="num">{r.threshold}</td>
              <td>
                <input type="checkbox" checked={r.enabled} onChange={(e) => update(r, { enabled: e.target.checked })} aria-label="enabled" />
              </td>
              <td>
                <button className="btn text-[11px]" onClick={() => remove(r)}>
                  {t('delete')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.length === 0 ? <div className="p-2 text-slate-500 text-sm">{t('noRules')}</div> : null}
    </div>
  )
}

export default function SignalsPage() {
  return (
    <div className="flex gap-2 flex-wrap items-start" data-testid="signals-page">
      <Feed />
      <Rules />
    </div>
  )
}
