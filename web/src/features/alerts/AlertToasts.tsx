import { useEffect, useRef, useState } from 'react'
import { lang, useT } from '../../lib/ui/i18n'
import { navigate } from '../../lib/state/router'
import { useValue } from '../../lib/state/store'
import { timeOf } from '../../lib/ui/format'
import { alertSentence, alertSubject, severityName, typeName } from '../../lib/model/alertText'
import {
  alertSettings,
  beep,
  dismissToast,
  notifyPermission,
  setNotify,
  toasts,
  updateAlertSettings,
  type AlertSettings,
} from './delivery'

export const SEV_CLASS: Record<string, string> = {
  info: 'bg-sky-900/60 text-sky-200',
  warning: 'bg-amber-900/60 text-amber-200',
  critical: 'bg-red-900/70 text-red-100',
}
const SEV_BORDER: Record<string, string> = {
  info: 'border-l-sky-500',
  warning: 'border-l-amber-500',
  critical: 'border-l-red-500',
}

// The stack of alert toasts, shown over every page.
export function AlertToasts() {
  const list = useValue(toasts)
  const l = useValue(lang)
  const t = useT()
  if (list.length === 0) return null
  return (
    <div
      className="fixed bottom-3 right-3 z-50 flex flex-col gap-2 w-[420px] max-w-[calc(100vw-24px)]"
      aria-live="polite"
      data-testid="toasts"
    >
      {list.map((a) => (
        <div
          key={a.id}
          role="status"
          data-testid="toast"
          data-alert-id={a.id}
          data-severity={a.severity}
          className={`card border-l-4 ${SEV_BORDER[a.severity] ?? ''} shadow-lg shadow-black/40 text-xs cursor-pointer`}
          onClick={() => navigate('/signals')}
          title={t('toastOpen')}
        >
          <div className="flex items-center gap-2 mb-1">
            <span className={`px-1.5 rounded text-[10px] uppercase ${SEV_CLASS[a.severity] ?? ''}`}>
              {severityName(a.severity, l)}
            </span>
            <span className="text-slate-300">{typeName(a.type, l)}</span>
            <span className="font-semibold text-slate-100">{alertSubject(a)}</span>
            <span className="num text-slate-500 ml-auto">{timeOf(a.time)}</span>
            <button
              className="text-slate-400 hover:text-slate-100 px-1"
              aria-label={t('dismiss')}
              onClick={(e) => {
                e.stopPropagation()
                dismissToast(a.id)
              }}
            >
              ×
            </button>
          </div>
          <div className="text-slate-100 text-[13px] leading-snug" data-testid="toast-text">
            {alertSentence(a, l)}
          </div>
        </div>
      ))}
    </div>
  )
}

const LEVELS: { v: AlertSettings['minSeverity']; k: 'toastAll' | 'toastWarning' | 'toastCritical' | 'toastOff' }[] = [
  { v: 'info', k: 'toastAll' },
  { v: 'warning', k: 'toastWarning' },
  { v: 'critical', k: 'toastCritical' },
  { v: 'off', k: 'toastOff' },
]

// The header's bell: which alerts pop up, sound, browser notifications.
export function AlertSettingsMenu() {
  const t = useT()
  const s = useValue(alertSettings)
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false)
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  const perm = notifyPermission()
  const blocked = perm === 'denied' || (perm === 'default' && s.notifyAsked)
  return (
    <div className="relative" ref={box}>
      <button
        className="btn text-xs"
        data-testid="alert-settings"
        aria-expanded={open}
        title={t('alertDelivery')}
        onClick={() => setOpen(!open)}
      >
        <svg
          viewBox="0 0 24 24"
          width="14"
          height="14"
          className="inline -mt-0.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden
        >
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {s.minSeverity === 'off' ? ` ${t('toastOffShort')}` : ''}
      </button>
      {open ? (
        <div
          className="absolute right-0 top-8 z-50 card w-72 flex flex-col gap-2 text-xs shadow-lg shadow-black/40"
          data-testid="alert-settings-panel"
        >
          <h2 className="mb-0!">{t('alertDelivery')}</h2>
          <label className="flex flex-col gap-0.5">
            {t('toastLevel')}
            <select
              value={s.minSeverity}
              data-testid="toast-min-severity"
              onChange={(e) => updateAlertSettings({ minSeverity: e.target.value as AlertSettings['minSeverity'] })}
            >
              {LEVELS.map((x) => (
                <option key={x.v} value={x.v}>
                  {t(x.k)}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1.5">
            <input
              type="checkbox"
              data-testid="alert-sound"
              checked={s.sound}
              onChange={(e) => {
                updateAlertSettings({ sound: e.target.checked })
                if (e.target.checked) beep() // a sample, and the click lets the browser play sound
              }}
            />
            {t('sound')}
          </label>
          <label className="flex items-center gap-1.5">
            <input
              type="checkbox"
              data-testid="alert-notify"
              checked={s.notify && perm === 'granted'}
              disabled={perm === 'unsupported'}
              onChange={(e) => void setNotify(e.target.checked)}
            />
            {t('browserNotify')}
          </label>
          {perm === 'unsupported' ? <span className="text-slate-500">{t('notifyUnsupported')}</span> : null}
          {blocked ? <span className="text-slate-500">{t('notifyBlocked')}</span> : null}
        </div>
      ) : null}
    </div>
  )
}
