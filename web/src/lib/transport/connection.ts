// The feed's connection as the user should read it: live, connecting, reconnecting (a channel is down) or
// stale (the market channel silent for 10 s during a trading session), and since when the data stopped.
// Recomputed once a second and on every link change; the store changes only when the state does, so
// subscribers (header, banner, the board's dimming) re-render on transitions, not every second.
import { ValueStore } from '../state/store'
import { channels, link, meta } from '../state/market'
import type { LinkState } from './ws'

export type ConnState = LinkState | 'stale'

export interface Connection {
  state: ConnState
  // Wall-clock ms of the last market message when the data stopped (reconnecting or stale), else null.
  since: number | null
  // The exchange time of the last data seen then ("09:31:02"), when known.
  lastExchangeTime: string | null
}

const TRADING = new Set(['ATO', 'LO', 'ATC'])
export const STALE_AFTER_SEC = 10

// Pure: the state from the channels' link state, the session and the market channel's silence.
export function connState(l: LinkState, session: string | null, silenceSec: number): ConnState {
  if (l !== 'live') return l
  if (session && TRADING.has(session) && silenceSec > STALE_AFTER_SEC) return 'stale'
  return 'live'
}

export const connection = new ValueStore<Connection>({ state: 'connecting', since: null, lastExchangeTime: null })

function recompute(): void {
  const last = channels[0]?.lastMessageAt ?? 0
  const silence = last ? (Date.now() - last) / 1000 : Infinity
  const m = meta.get()
  const state = connState(link.get(), m.session, silence)
  const cur = connection.get()
  if (state === cur.state) return
  const down = state === 'reconnecting' || state === 'stale'
  connection.set({
    state,
    since: down ? last || Date.now() : null,
    lastExchangeTime: down ? m.exchange_time : null,
  })
}

let started = false
export function startConnectionWatch(): void {
  if (started) return
  started = true
  link.subscribe(recompute)
  setInterval(recompute, 1000)
  recompute()
}

// "10:31:05" in the browser's clock.
export function clockTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}
