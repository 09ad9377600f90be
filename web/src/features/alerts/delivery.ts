// App-level alert delivery, independent of the page shown: every alert from /ws/alerts at or above the chosen
// severity becomes a toast, optionally a beep and a browser notification, in the UI's language. Settings are
// kept in localStorage.
import { onAlert } from '../../lib/state/market'
import { lang } from '../../lib/ui/i18n'
import { navigate } from '../../lib/state/router'
import { ValueStore } from '../../lib/state/store'
import {
  SEVERITIES,
  alertSentence,
  alertSubject,
  severityName,
  severityRank,
  typeName,
} from '../../lib/model/alertText'
import type { Alert, Severity } from '../../lib/model/types'

export interface AlertSettings {
  minSeverity: Severity | 'off' // toasts (and sound, notifications) for alerts at or above this
  sound: boolean
  notify: boolean // browser notifications while the page is not in front
  notifyAsked: boolean // the permission prompt is shown once, from the user's click
}

const KEY = 'vnt.alerts'
const DEFAULTS: AlertSettings = { minSeverity: 'warning', sound: false, notify: false, notifyAsked: false }

function load(): AlertSettings {
  if (typeof localStorage === 'undefined') return DEFAULTS
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null')
    if (saved) {
      const s = { ...DEFAULTS, ...saved }
      return [...SEVERITIES, 'off'].includes(s.minSeverity) ? s : { ...s, minSeverity: DEFAULTS.minSeverity }
    }
  } catch {
    /* unreadable: defaults */
  }
  // The Signals page's former sound switch.
  return { ...DEFAULTS, sound: localStorage.getItem('vnt.sound') === '1' }
}

export const alertSettings = new ValueStore<AlertSettings>(load())

export function updateAlertSettings(patch: Partial<AlertSettings>): void {
  const next = { ...alertSettings.get(), ...patch }
  localStorage.setItem(KEY, JSON.stringify(next))
  alertSettings.set(next)
}

export function meetsMinSeverity(s: Severity, min: AlertSettings['minSeverity']): boolean {
  return min !== 'off' && severityRank(s) >= severityRank(min)
}

// ---- toasts ----

export const MAX_TOASTS = 4
// Critical alerts stay longer: they are the ones a trader must not miss.
const TOAST_MS: Record<Severity, number> = { info: 8000, warning: 8000, critical: 20000 }

export const toasts = new ValueStore<Alert[]>([]) // newest first
const timers = new Map<number, ReturnType<typeof setTimeout>>()

export function dismissToast(id: number): void {
  clearTimeout(timers.get(id))
  timers.delete(id)
  toasts.set(toasts.get().filter((a) => a.id !== id))
}

function pushToast(a: Alert): void {
  const kept = [a, ...toasts.get().filter((x) => x.id !== a.id)]
  for (const old of kept.slice(MAX_TOASTS)) dismissToast(old.id)
  toasts.set(kept.slice(0, MAX_TOASTS))
  timers.set(
    a.id,
    setTimeout(() => dismissToast(a.id), TOAST_MS[a.severity] ?? 8000),
  )
}

// ---- sound ----

// One AudioContext, resumed by the user's first click or key press: browsers keep audio made without a
// gesture suspended, and an alert arrives without one.
let audio: AudioContext | null = null
function audioContext(): AudioContext | null {
  try {
    audio ??= new AudioContext()
  } catch {
    return null // audio unavailable
  }
  if (audio.state === 'suspended') void audio.resume().catch(() => {})
  return audio
}
if (typeof document !== 'undefined') {
  const unlock = () => {
    if (alertSettings.get().sound) audioContext()
  }
  document.addEventListener('pointerdown', unlock, { once: true })
  document.addEventListener('keydown', unlock, { once: true })
}

let lastBeep = 0
// A short two-tone beep (Web Audio: no asset to load). A burst of alerts beeps once.
export function beep(): void {
  const now = Date.now()
  if (now - lastBeep < 1500) return
  lastBeep = now
  const ctx = audioContext()
  if (!ctx) return
  const o = ctx.createOscillator()
  const g = ctx.createGain()
  o.frequency.value = 880
  g.gain.setValueAtTime(0.15, ctx.currentTime)
  g.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4)
  o.connect(g).connect(ctx.destination)
  o.start()
  o.frequency.setValueAtTime(660, ctx.currentTime + 0.15)
  o.stop(ctx.currentTime + 0.4)
}

// ---- browser notifications ----

export type NotifyState = 'unsupported' | 'default' | 'granted' | 'denied'
export function notifyPermission(): NotifyState {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

// Turns notifications on or off. Must run inside the user's click: browsers only prompt from a gesture. The
// prompt is shown once; after that the browser's site settings decide.
export async function setNotify(on: boolean): Promise<void> {
  if (!on) return updateAlertSettings({ notify: false })
  let p = notifyPermission()
  if (p === 'default' && !alertSettings.get().notifyAsked) {
    updateAlertSettings({ notifyAsked: true })
    p = await Notification.requestPermission()
  }
  updateAlertSettings({ notify: p === 'granted' })
}

function notify(a: Alert): void {
  // The toast already shows it when the page is in front.
  if (notifyPermission() !== 'granted' || (document.visibilityState === 'visible' && document.hasFocus())) return
  const l = lang.get()
  try {
    const n = new Notification(`${severityName(a.severity, l)} · ${typeName(a.type, l)} · ${alertSubject(a)}`, {
      body: alertSentence(a, l),
      tag: `vnt-${a.type}-${a.symbol}-${a.rule_id}`, // a repeat replaces its predecessor instead of stacking
    })
    n.onclick = () => {
      window.focus()
      navigate('/signals')
      n.close()
    }
  } catch {
    /* some platforms only notify from a service worker */
  }
}

// ---- the listener ----

export function deliver(a: Alert): void {
  const s = alertSettings.get()
  if (!meetsMinSeverity(a.severity, s.minSeverity)) return
  pushToast(a)
  if (s.sound) beep()
  if (s.notify) notify(a)
}

let stop: (() => void) | null = null
// Started once with the market channels (main.tsx).
export function startAlertDelivery(): () => void {
  stop ??= onAlert(deliver)
  return () => {
    stop?.()
    stop = null
  }
}
