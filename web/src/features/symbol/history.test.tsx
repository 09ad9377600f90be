import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, waitFor } from '@testing-library/react'
import { BasisHistory, ForeignHistory } from './history'
import { setLang } from '../../lib/ui/i18n'

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }))

// Recharts measures its container: jsdom has no layout.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

describe('multi-day history on the symbol page', () => {
  it('foreign net by day: a row per day, newest first, in tỷ, with the net over the range', async () => {
    setLang('vi')
    const urls: string[] = []
    vi.stubGlobal('fetch', (u: string) => {
      urls.push(u)
      return json([
        {
          time: '2026-12-03T14:45:00',
          buy_vol: 1000,
          sell_vol: 500,
          net_vol: 500,
          buy_val: 3e9,
          sell_val: 1e9,
          net_val: 2e9,
          total_room: null,
          current_room: 9000,
        },
        {
          time: '2026-12-04T14:45:00',
          buy_vol: 100,
          sell_vol: 900,
          net_vol: -800,
          buy_val: 0.5e9,
          sell_val: 3.5e9,
          net_val: -3e9,
          total_room: null,
          current_room: 9800,
        },
      ])
    })
    const { getByTestId } = render(<ForeignHistory symbol="FPT" today="2026-12-07" />)
    await waitFor(() => expect(getByTestId('foreign-history').dataset.status).toBe('ok'))
    expect(urls[0]).toBe('/api/history/FPT/foreign/daily?from=2026-11-06')
    const rows = [...getByTestId('foreign-history-table').querySelectorAll('tbody tr')]
    expect(rows.map((r) => r.getAttribute('data-date'))).toEqual(['2026-12-04', '2026-12-03'])
    expect(rows[0].children[3].textContent).toBe('-3.00')
    expect(rows[0].children[4].textContent).toBe('-1.00')
    expect(getByTestId('foreign-history-total').textContent).toBe('-1.00 tỷ')
    expect(getByTestId('export-foreign-daily').getAttribute('href')).toContain('format=csv')
  })

  it('without a store (503) both panels say so', async () => {
    setLang('en')
    vi.stubGlobal('fetch', () =>
      json({ error: { code: 'store_unavailable', message: 'no history store is configured' } }, 503),
    )
    const f = render(<ForeignHistory symbol="FPT" today="2026-12-07" />)
    await waitFor(() => expect(f.getByTestId('foreign-history').dataset.status).toBe('unavailable'))
    expect(f.getByTestId('history-message').textContent).toMatch(/--db none/)
    cleanup()
    const b = render(<BasisHistory contract="VN30F1M" today="2026-12-07" />)
    await waitFor(() => expect(b.getByTestId('basis-history').dataset.status).toBe('unavailable'))
    expect(b.getByTestId('history-message').textContent).toMatch(/history store/)
  })

  it('basis by day: closing basis, fair basis and the day range', async () => {
    setLang('en')
    const row = (time: string, basis: number) => ({
      contract: 'VN30F2612',
      krx_code: 'K',
      time,
      price: 1300 + basis,
      spot: 1300,
      basis,
      basis_pct: basis / 13,
      fair_basis: 2,
      volume: 1,
    })
    vi.stubGlobal('fetch', () =>
      json([row('2026-12-04T09:00:00', 5), row('2026-12-04T14:45:00', -1.5), row('2026-12-07T09:30:00', 3)]),
    )
    const { getByTestId } = render(<BasisHistory contract="VN30F1M" today="2026-12-07" />)
    await waitFor(() => expect(getByTestId('basis-history').dataset.status).toBe('ok'))
    expect(getByTestId('basis-history').dataset.days).toBe('2')
    const rows = [...getByTestId('basis-history-table').querySelectorAll('tbody tr')]
    expect(rows.map((r) => r.getAttribute('data-date'))).toEqual(['2026-12-07', '2026-12-04'])
    expect(rows[1].children[1].textContent).toBe('-1.50')
    expect(rows[1].children[4].textContent).toBe('-3.50')
    expect(rows[1].children[6].textContent).toBe('-1.50 / +5.00')
  })
})
