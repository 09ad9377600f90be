import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render } from '@testing-library/react'
import { applyAlerts } from '../../lib/state/market'
import { setLang } from '../../lib/ui/i18n'
import { AlertSettingsMenu, AlertToasts } from './AlertToasts'
import { alertSettings, setNotify, startAlertDelivery, toasts, updateAlertSettings } from './delivery'
import type { Alert, WsMessage } from '../../lib/model/types'

let id = 100
const alert = (p: Partial<Alert> = {}): Alert => ({
  id: ++id,
  type: 'user_rule',
  severity: 'critical',
  symbol: 'FPT',
  contract: null,
  alias: null,
  rule_id: 3,
  rule_name: 'FPT vượt',
  metric: 'last_price',
  unit: 'vnd',
  direction: 'up',
  comparison: '>=',
  window_sec: null,
  value: 105500,
  threshold: 94900,
  details: {},
  time: '2026-12-07T09:31:00',
  message: 'FPT vượt: FPT last_price = 105500 >= 94900',
  ...p,
})
const arrive = (a: Alert) =>
  act(() => applyAlerts({ type: 'alert', channel: 'alerts', seq: a.id, data: a } as WsMessage))

let stop: () => void
beforeEach(() => {
  localStorage.clear()
  updateAlertSettings({ minSeverity: 'warning', sound: false, notify: false, notifyAsked: false })
  toasts.set([])
  setLang('vi')
  stop = startAlertDelivery()
})
afterEach(() => {
  stop()
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('app-level alert delivery', () => {
  it('toasts alerts at or above the chosen severity with the sentence in the UI language', () => {
    const { container } = render(<AlertToasts />)
    arrive(alert())
    arrive(alert({ severity: 'info', rule_name: 'quiet' }))
    const shown = [...container.querySelectorAll('[data-testid=toast]')]
    expect(shown).toHaveLength(1)
    expect(shown[0].querySelector('[data-testid=toast-text]')!.textContent).toBe('FPT vượt: FPT giá khớp 105,5 ≥ 94,9')
    expect(shown[0].textContent).toContain('Nghiêm trọng')
    act(() => setLang('en'))
    expect(container.querySelector('[data-testid=toast-text]')!.textContent).toBe(
      'FPT vượt: FPT last price 105.5 ≥ 94.9',
    )
    act(() => fireEvent.click(container.querySelector('[data-testid=toast] button')!))
    expect(container.querySelectorAll('[data-testid=toast]')).toHaveLength(0)
  })

  it('keeps a few toasts, newest first; the setting is persisted', () => {
    const { container } = render(<AlertToasts />)
    for (let i = 0; i < 6; i++) arrive(alert())
    const ids = [...container.querySelectorAll('[data-testid=toast]')].map((e) =>
      Number((e as HTMLElement).dataset.alertId),
    )
    expect(ids).toEqual([id, id - 1, id - 2, id - 3])
    updateAlertSettings({ minSeverity: 'off' })
    expect(JSON.parse(localStorage.getItem('vnt.alerts')!).minSeverity).toBe('off')
    arrive(alert())
    expect(toasts.get()[0].id).toBe(id - 1)
  })

  it('the bell changes the level', () => {
    const { getByTestId } = render(<AlertSettingsMenu />)
    act(() => fireEvent.click(getByTestId('alert-settings')))
    act(() => fireEvent.change(getByTestId('toast-min-severity'), { target: { value: 'critical' } }))
    expect(alertSettings.get().minSeverity).toBe('critical')
  })

  it('browser notifications: permission asked once, shown while the page is not in front', async () => {
    const shown: { title: string; body?: string }[] = []
    const requestPermission = vi.fn(async () => {
      Fake.permission = 'granted'
      return 'granted'
    })
    class Fake {
      static permission = 'default'
      static requestPermission = requestPermission
      onclick: (() => void) | null = null
      constructor(title: string, o?: NotificationOptions) {
        shown.push({ title, body: o?.body })
      }
      close() {}
    }
    vi.stubGlobal('Notification', Fake)
    await setNotify(true)
    await setNotify(true)
    expect(requestPermission).toHaveBeenCalledTimes(1)
    expect(alertSettings.get().notify).toBe(true)
    vi.spyOn(document, 'hasFocus').mockReturnValue(true)
    arrive(alert())
    expect(shown).toHaveLength(0) // the toast is enough
    vi.spyOn(document, 'hasFocus').mockReturnValue(false)
    arrive(alert({ value: 106000 }))
    expect(shown).toEqual([
      { title: 'Nghiêm trọng · Quy tắc người dùng · FPT', body: 'FPT vượt: FPT giá khớp 106 ≥ 94,9' },
    ])
  })
})
