import { useEffect, useState, type ReactNode } from 'react'
import { ApiError } from '../../lib/transport/api'
import { deleteRule, fetchRules, fetchSymbol, saveRule } from './api'
import { lang, useT, type Key } from '../../lib/ui/i18n'
import { useValue } from '../../lib/state/store'
import { useTicker } from '../../lib/ui/useTicker'
import { findFutures, instrumentKind, liveMetric, symbolMetric } from '../../lib/model/instruments'
import {
  SEVERITIES,
  comparisonText,
  formatFigure,
  metricName,
  metricUnit,
  severityName,
} from '../../lib/model/alertText'
import type { AlertRule, Comparison, Frequency, SymbolState } from '../../lib/model/types'
import {
  EMPTY_FORM,
  errorFor,
  isWholeUnit,
  parseDecimal,
  ruleBody,
  ruleKind,
  ruleToForm,
  thresholdEcho,
  thresholdToApi,
  thresholdText,
  thresholdUnit,
  type FieldErrors,
  type RuleField,
  type RuleForm,
} from './ruleForm'

const METRIC_GROUPS: [Key, string[]][] = [
  [
    'group_price',
    ['last_price', 'change', 'change_pct', 'vwap', 'total_vol', 'total_val', 'trade_count', 'volume_multiple'],
  ],
  [
    'group_flow',
    ['active_buy_vol', 'active_sell_vol', 'active_buy_ratio', 'active_buy_ratio_5m', 'active_buy_ratio_window'],
  ],
  [
    'group_foreign',
    [
      'foreign_buy_vol',
      'foreign_sell_vol',
      'foreign_net_vol',
      'foreign_net_val',
      'foreign_net_speed_vol',
      'foreign_net_speed_val',
      'foreign_net_accel_val',
      'room_used_pct',
    ],
  ],
  ['group_futures', ['basis', 'basis_pct', 'fair_basis', 'basis_minus_fair']],
  ['group_index', ['index_value', 'index_change_pct', 'advances', 'declines']],
]
const COMPARISONS: Comparison[] = ['>', '>=', '<', '<=', '==', 'crosses_above', 'crosses_below']
const FREQUENCIES: Frequency[] = ['every_time', 'once_per_bar', 'once']

// A symbol the live stores do not hold, asked once from the server (null: the server has none today).
function useFetchedSymbol(sym: string, wanted: boolean): SymbolState | null | undefined {
  const [got, setGot] = useState<{ sym: string; s: SymbolState | null } | null>(null)
  useEffect(() => {
    if (!wanted || !sym) return
    let alive = true
    const id = setTimeout(() => {
      fetchSymbol(sym)
        .then((s) => alive && setGot({ sym, s }))
        .catch(() => alive && setGot({ sym, s: null }))
    }, 300)
    return () => {
      alive = false
      clearTimeout(id)
    }
  }, [sym, wanted])
  return got?.sym === sym ? got.s : undefined
}

// The chosen metric's value now for the chosen symbol, in the board's unit, refreshed every second.
function CurrentValue({ metric, symbol }: { metric: string; symbol: string }) {
  const t = useT()
  const l = useValue(lang)
  useTicker(1000)
  const sym = symbol.trim().toUpperCase()
  const live = liveMetric(metric, sym)
  const fetched = useFetchedSymbol(sym, live === undefined)
  if (!sym || sym === '*') return null
  const v = live !== undefined ? live : fetched ? symbolMetric(metric, fetched) : fetched
  const kind = ruleKind(instrumentKind(sym))
  const text =
    v === undefined
      ? '…'
      : fetched === null && live === undefined
        ? t('noSymbolData')
        : v === null
          ? t('noLiveValue')
          : formatFigure(v, metricUnit(metric, kind), l, { metric })
  return (
    <span className="text-slate-400" data-testid="rule-current">
      {t('current')}: <b className="num text-slate-100">{text}</b>
    </span>
  )
}

export function RuleEditor() {
  const t = useT()
  const l = useValue(lang)
  const [rules, setRules] = useState<AlertRule[]>([])
  const [form, setForm] = useState<RuleForm>(EMPTY_FORM)
  const [editing, setEditing] = useState<AlertRule | null>(null)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [busy, setBusy] = useState(false)
  const kind = instrumentKind(form.symbol)

  const reload = () =>
    fetchRules()
      .then(setRules)
      .catch((e) => setErrors(errorFor(e, l)))
  useEffect(() => {
    void reload()
    // Loaded once on mount; `reload` is recreated every render (it reads the language for error text).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const reset = () => {
    setForm(EMPTY_FORM)
    setEditing(null)
    setErrors({})
  }

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const r = ruleBody(form, kind, l)
    if (r.errors) return setErrors(r.errors)
    setErrors({})
    setBusy(true)
    try {
      await saveRule(editing ? editing.id : null, r.body)
      reset()
      await reload()
    } catch (err) {
      setErrors(errorFor(err, l))
      if (err instanceof ApiError && err.code === 'unknown_rule') reset()
    } finally {
      setBusy(false)
    }
  }
  const act = async (call: Promise<unknown>) => {
    try {
      await call
    } catch (err) {
      setErrors(errorFor(err, l))
    }
    await reload()
  }
  const toggle = (r: AlertRule, enabled: boolean) => act(saveRule(r.id, { ...r, enabled }))
  const remove = (r: AlertRule) => {
    if (editing?.id === r.id) reset()
    return act(deleteRule(r.id))
  }
  const edit = (r: AlertRule) => {
    setEditing(r)
    setErrors({})
    setForm(ruleToForm(r, instrumentKind(r.symbol), l))
  }

  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }))
    if (k in errors) setErrors(({ [k as RuleField]: _, ...rest }) => rest)
  }
  const text = (k: RuleField) => ({
    name: k,
    value: form[k] as string,
    'aria-invalid': errors[k] ? true : undefined,
    onChange: (e: { target: { value: string } }) => set(k, e.target.value as never),
  })
  const fieldError = (k: RuleField): ReactNode =>
    errors[k] ? (
      <span className="text-down" data-testid={`error-${k}`} role="alert">
        {errors[k]}
      </span>
    ) : null

  const typed = parseDecimal(form.threshold, isWholeUnit(form.metric, kind))
  const echo = typed === null ? null : thresholdEcho(thresholdToApi(typed, form.metric, kind), form.metric, kind, l)
  const fut = findFutures(form.symbol.trim())
  const kindLabel = t(`kind_${kind}` as Key) + (fut ? ` ${fut.symbol}` : '')

  return (
    <div className="card flex-[2] min-w-0 sm:min-w-[460px]">
      <h2>{editing ? `${t('editing')} #${editing.id}` : t('rules')}</h2>
      <form
        onSubmit={submit}
        className="grid grid-cols-2 gap-x-3 gap-y-1.5 text-xs mb-3"
        data-testid="rule-form"
        noValidate
      >
        <label className="flex flex-col gap-0.5">
          {t('name')}
          <input {...text('name')} />
          {fieldError('name')}
        </label>
        <label className="flex flex-col gap-0.5">
          <span>
            {t('symbol')} <span className="text-slate-500">({t('allSymbols')})</span>
          </span>
          <input {...text('symbol')} placeholder="FPT, VN30F1M, VN30, *" autoComplete="off" />
          <span className="text-slate-500" data-testid="rule-kind">
            {kindLabel}
          </span>
          {fieldError('symbol')}
        </label>
        <label className="flex flex-col gap-0.5">
          {t('metric')}
          <select {...text('metric')}>
            {METRIC_GROUPS.map(([g, ms]) => (
              <optgroup key={g} label={t(g)}>
                {ms.map((m) => (
                  <option key={m} value={m}>
                    {metricName(m, l)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          {fieldError('metric')}
        </label>
        <label className="flex flex-col gap-0.5">
          {t('comparison')}
          <select {...text('comparison')}>
            {COMPARISONS.map((c) => (
              <option key={c} value={c}>
                {comparisonText(c, l)}
              </option>
            ))}
          </select>
          {fieldError('comparison')}
        </label>
        <div className="col-span-2 flex flex-col gap-0.5">
          <label className="flex flex-col gap-0.5">
            {t('threshold')}
            <span className="flex items-center gap-2">
              <input {...text('threshold')} inputMode="decimal" className="w-40" />
              <span className="text-slate-300" data-testid="threshold-unit">
                {thresholdUnit(form.metric, kind, l)}
              </span>
              {echo ? (
                <span className="text-slate-500" data-testid="threshold-echo">
                  {echo}
                </span>
              ) : null}
            </span>
          </label>
          <CurrentValue metric={form.metric} symbol={form.symbol} />
          {fieldError('threshold')}
        </div>
        {form.metric === 'active_buy_ratio_window' ? (
          <label className="flex flex-col gap-0.5">
            {t('windowMin')}
            <input {...text('window_min')} inputMode="numeric" />
            {fieldError('window_min')}
          </label>
        ) : null}
        <label className="flex flex-col gap-0.5">
          {t('frequency')}
          <select {...text('frequency')}>
            {FREQUENCIES.map((f) => (
              <option key={f} value={f}>
                {t(`freq_${f}`)}
              </option>
            ))}
          </select>
          {fieldError('frequency')}
        </label>
        {form.frequency === 'every_time' ? (
          <label className="flex flex-col gap-0.5">
            {t('cooldown')}
            <input {...text('cooldown_sec')} inputMode="numeric" />
            {fieldError('cooldown_sec')}
          </label>
        ) : null}
        <label className="flex flex-col gap-0.5">
          {t('severity')}
          <select {...text('severity')}>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {severityName(s, l)}
              </option>
            ))}
          </select>
          {fieldError('severity')}
        </label>
        <label className="flex flex-col gap-0.5 col-span-2">
          {t('webhook')}
          <input {...text('webhook_url')} placeholder="https://…" inputMode="url" />
          {fieldError('webhook_url')}
        </label>
        <div className="col-span-2 flex items-center gap-3">
          <button className="btn bg-sky-800! border-sky-600!" type="submit" data-testid="rule-create" disabled={busy}>
            {editing ? t('save') : t('create')}
          </button>
          {editing ? (
            <button className="btn" type="button" onClick={reset} data-testid="rule-cancel">
              {t('cancel')}
            </button>
          ) : null}
          {errors.form ? (
            <span className="text-down" data-testid="error-form" role="alert">
              {errors.form}
            </span>
          ) : null}
        </div>
      </form>
      <table className="tbl w-full text-xs" data-testid="rules">
        <thead>
          <tr>
            <th>{t('name')}</th>
            <th className="text-left!">{t('symbol')}</th>
            <th className="text-left!">{t('condition')}</th>
            <th className="text-left!">{t('frequency')}</th>
            <th>{t('enabled')}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => {
            const k = instrumentKind(r.symbol)
            return (
              <tr key={r.id} data-rule-id={r.id} className={editing?.id === r.id ? 'bg-slate-800/60' : undefined}>
                <td className="text-slate-100">{r.name || `#${r.id}`}</td>
                <td className="text-left!">{r.symbol}</td>
                <td className="text-left! text-slate-300" data-testid="rule-condition">
                  {metricName(r.metric, l, r.window_min)} {comparisonText(r.comparison, l)}{' '}
                  <span className="num">{thresholdText(r, k, l)}</span>
                </td>
                <td className="text-left! text-slate-400">{r.frequency ? t(`freq_${r.frequency}`) : ''}</td>
                <td>
                  <input
                    type="checkbox"
                    checked={r.enabled}
                    onChange={(e) => void toggle(r, e.target.checked)}
                    aria-label={t('enabled')}
                    data-testid="rule-enabled"
                  />
                </td>
                <td className="whitespace-nowrap">
                  <button className="btn text-[11px] mr-1" onClick={() => edit(r)} data-testid="rule-edit">
                    {t('edit')}
                  </button>
                  <button className="btn text-[11px]" onClick={() => void remove(r)} data-testid="rule-delete">
                    {t('delete')}
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {rules.length === 0 ? <div className="p-2 text-slate-500 text-sm">{t('noRules')}</div> : null}
    </div>
  )
}
