import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/react'
import SignalsPage from './SignalsPage'
import { applyAlerts, applyMarket } from '../../lib/state/market'
import { setLang } from '../../lib/ui/i18n'
import type { Alert, AlertRule, SymbolState, WsMessage } from '../../lib/model/types'

const alert = (id: number, p: Partial<Alert> = {}): Alert => ({
  id,
  type: 'volume_spike',
  severity: 'warning',
  symbol: 'FPT',
  contract: null,
  alias: null,
  rule_id: 0,
  rule_name: '',
  metric: 'minute_volume',
  unit: 'shares',
  direction: 'up',
  comparison: null,
  window_sec: 60,
  value: 52300,
  threshold: 40000,
  details: { multiple: { value: 4.2, unit: 'multiple' } },
  time: '2026-12-07T09:31:00+07:00',
  message: '',
  ...p,
})

type Call = { url: string; method: string; body: unknown }
let calls: Call[]
let rules: AlertRule[]
let respond: (c: Call) => { status: number; body?: unknown } | undefined

function fakeServer() {
  calls = []
  rules = []
  respond = () => undefined
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const c = { url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(init.body as string) : undefined }
    calls.push(c)
    const r =
      respond(c) ??
      (url.startsWith('/api/alerts/rules') && c.method === 'GET'
        ? { status: 200, body: rules }
        : { status: 200, body: [] })
    return new Response(r.status === 204 ? null : JSON.stringify(r.body), { status: r.status })
  })
}

beforeEach(() => {
  setLang('vi')
  fakeServer()
  applyMarket(
    {
      type: 'snapshot',
      channel: 'market',
      seq: 1,
      data: {
        symbols: {
          FPT: {
            symbol: 'FPT',
            kind: 'vn30',
            last_price: 105500,
            sessions: {},
            bid: [],
            ask: [],
          } as unknown as SymbolState,
        },
      },
    },
    true,
  )
})
afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('Signals feed', () => {
  it('pages through today with before_id, filters on the server, takes live alerts', async () => {
    const page1 = Array.from({ length: 100 }, (_, i) => alert(300 - i))
    respond = (c) =>
      c.url.startsWith('/api/market/alerts')
        ? { status: 200, body: c.url.includes('before_id=201') ? [alert(150)] : page1 }
        : undefined
    const { container, getByTestId } = render(<SignalsPage />)
    const rows = () => container.querySelectorAll('[data-testid=alert-feed] tbody tr')
    await waitFor(() => expect(rows()).toHaveLength(100))
    expect(rows()[0].textContent).toContain('FPT khối lượng đột biến: 52.300 cp trong 1 phút, gấp 4,2 lần')
    act(() => fireEvent.click(getByTestId('alerts-older')))
    await waitFor(() => expect(rows()).toHaveLength(101))
    expect(calls.some((c) => c.url === '/api/market/alerts?limit=100&before_id=201')).toBe(true)
    expect(container.textContent).toContain('Đã hết cảnh báo hôm nay')
    act(() => applyAlerts({ type: 'alert', channel: 'alerts', seq: 1, data: alert(301) } as WsMessage))
    expect((rows()[0] as HTMLElement).dataset.alertId).toBe('301')
    act(() => fireEvent.change(getByTestId('filter-severity'), { target: { value: 'critical' } }))
    await waitFor(() => expect(calls.at(-1)!.url).toBe('/api/market/alerts?limit=100&severity=critical'))
  })
})

describe('rule editor', () => {
  it('takes a price in thousands, shows the current value, sends VND, shows a 400 next to its field', async () => {
    const { container, getByTestId } = render(<SignalsPage />)
    const form = getByTestId('rule-form')
    const input = (name: string) => form.querySelector(`[name=${name}]`) as HTMLInputElement
    act(() => fireEvent.change(input('symbol'), { target: { value: 'FPT' } }))
    expect(getByTestId('threshold-unit').textContent).toBe('nghìn VND')
    expect(getByTestId('rule-current').textContent).toBe('Hiện tại: 105,5')
    act(() => fireEvent.change(input('threshold'), { target: { value: '94,9' } }))
    expect(getByTestId('threshold-echo').textContent).toBe('= 94.900 VND')
    respond = (c) =>
      c.method === 'POST'
        ? { status: 400, body: { error: { code: 'bad_parameter', message: 'unknown symbol', field: 'symbol' } } }
        : undefined
    await act(async () => fireEvent.submit(form))
    expect(getByTestId('error-symbol').textContent).toMatch(/^Mã không tồn tại/)
    respond = (c) => {
      if (c.method !== 'POST') return undefined
      rules = [{ id: 7, ...(c.body as Omit<AlertRule, 'id'>) }]
      return { status: 201, body: rules[0] }
    }
    await act(async () => fireEvent.submit(form))
    const post = calls.filter((c) => c.method === 'POST').at(-1)!
    expect(post.body).toMatchObject({
      symbol: 'FPT',
      metric: 'last_price',
      comparison: '>=',
      threshold: 94900,
      frequency: 'every_time',
    })
    await waitFor(() => expect(container.querySelector('[data-rule-id="7"]')).not.toBeNull())
    expect(container.querySelector('[data-testid=error-symbol]')).toBeNull()
    expect(getByTestId('rule-condition').textContent).toBe('Giá khớp ≥ 94,9')

    // edit: the form shows thousands again and saves with PUT
    act(() => fireEvent.click(getByTestId('rule-edit')))
    expect(input('threshold').value).toBe('94,9')
    act(() => fireEvent.change(input('threshold'), { target: { value: '100' } }))
    act(() => fireEvent.change(input('comparison'), { target: { value: 'crosses_above' } }))
    respond = (c) => (c.method === 'PUT' ? { status: 200, body: c.body } : undefined)
    await act(async () => fireEvent.submit(form))
    const put = calls.find((c) => c.method === 'PUT')!
    expect(put.url).toBe('/api/alerts/rules/7')
    expect(put.body).toMatchObject({ threshold: 100000, comparison: 'crosses_above' })
  })
})
