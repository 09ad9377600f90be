// Shapes of the server's JSON (src/api/*_json.h, src/server/publisher.cpp). Prices in VND (stocks) or index
// points (indices, futures); volumes in shares/contracts; values in VND. Every exchange instant ("time") is
// "YYYY-MM-DDTHH:MM:SS+07:00"; a message's clock is "trading_date" + "exchange_time" ("HH:MM:SS").

/**
 * An exchange instant as the server writes every event time: "YYYY-MM-DDTHH:MM:SS+07:00" (Vietnam time, which
 * has no DST; its first 10 characters are the trading date). contract/wire.test.ts checks the pattern.
 * @pattern ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$
 */
export type ExchangeTime = string

/**
 * A trading date, "YYYY-MM-DD".
 * @pattern ^\d{4}-\d{2}-\d{2}$
 */
export type TradingDate = string

/**
 * The market clock of a message or an answer (with its trading_date): "HH:MM:SS", exchange time.
 * @pattern ^\d{2}:\d{2}:\d{2}$
 */
export type ClockTime = string

/**
 * A wall-clock instant in UTC with milliseconds, "YYYY-MM-DDTHH:MM:SS.mmmZ" (an alert delivery's end).
 * @pattern ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$
 */
export type UtcTime = string

export interface Flow {
  active_buy_vol: number
  active_sell_vol: number
  neutral_vol: number
  total_vol: number
  active_buy_val: number
  active_sell_val: number
  neutral_val: number
  total_val: number
  trade_count: number
  vwap: number | null
  active_buy_ratio: number | null
}

export interface ForeignState {
  buy_vol: number
  sell_vol: number
  net_vol: number
  buy_val: number
  sell_val: number
  net_val: number
  total_room: number | null
  current_room: number | null
  room_used_pct: number | null
  // null until the speed window covers a minute (accelerations: until two such speeds exist)
  buy_speed_vol: number | null
  sell_speed_vol: number | null
  net_speed_vol: number | null
  net_speed_val: number | null
  net_accel_vol: number | null
  net_accel_val: number | null
  window_min: number
  time: ExchangeTime | null
}

export type Level = [number, number]

export interface SymbolState extends Flow {
  symbol: string
  kind: string
  session: string | null
  trading_status: string | null
  time: ExchangeTime | null
  ref_price: number | null
  ceiling: number | null
  floor: number | null
  open: number | null
  high: number | null
  low: number | null
  last_price: number | null
  indicative_price: number | null // the auction's EstMatchedPrice during ATO/ATC, null otherwise
  last_vol: number
  change: number | null
  change_pct: number | null
  baseline_vol: number // what had traded before the engine first saw the symbol today
  feed_total_vol: number // the feed's own day totals (X TotalVol / TotalVal)
  feed_total_val: number
  sessions: Partial<Record<'ato' | 'continuous' | 'atc' | 'pt', Flow>> // pt: put-through deals (neutral)
  bid: Level[]
  ask: Level[]
  foreign?: ForeignState
}

export interface IndexState {
  id: string
  feed_id: string // the index's id in the feed
  value: number | null
  prior_value: number | null
  change: number
  change_pct: number
  advances: number
  declines: number
  no_changes: number
  ceilings: number
  floors: number
  total_trade: number
  total_qtty: number
  total_value: number
  total_qtty_pt: number
  total_value_pt: number
  all_qty: number
  all_value: number
  session: string | null
  time: ExchangeTime | null
  series_points: number // minutes in the index's intraday series (/ws/index)
}

export interface FuturesState {
  symbol: string
  krx_code: string
  alias: string | null
  last_trading_day: string
  days_to_expiry: number
  expiry_calendar_covered: boolean // the expiry comes from the holiday calendar (not a guess past its end)
  front: boolean
  last: number | null
  ref_price: number | null
  change: number
  change_pct: number
  volume: number
  baseline_vol: number
  feed_total_vol: number
  active_buy_vol: number
  active_sell_vol: number
  neutral_vol: number
  value: number
  trade_count: number
  bid: Level[] // the contract's order book, every level the feed sends
  ask: Level[]
  basis: number | null
  basis_pct: number | null
  spot: number | null
  fair_basis: number | null
  basis_minus_fair: number | null
  premium: 'premium' | 'discount' | 'flat' | null
  slope_per_min: number | null
  projected_basis_at_expiry: number | null // only within one trading day of expiry
  required_slope_per_min: number | null // the slope that takes the basis linearly to zero at expiry
  trading_minutes_left: number
  basis_points: number // points in the contract's basis history
  time: ExchangeTime | null
}

export type AlertType =
  | 'volume_spike'
  | 'price_breakout'
  | 'foreign_acceleration'
  | 'basis_divergence'
  | 'velocity_divergence'
  | 'imbalance_extreme'
  | 'user_rule'

// A market session as the server names it (the feed's codes): continuous trading is LO.
export type SessionCode = 'ATO' | 'LO' | 'BREAK' | 'ATC' | 'PT' | 'C' | 'HALT'

export type Severity = 'info' | 'warning' | 'critical'

// Unit of an alert's value and threshold: stock prices in VND (the board shows thousands), futures and index
// prices in points; per-minute speeds in exchange time.
export type AlertUnit =
  | 'vnd'
  | 'points'
  | 'shares'
  | 'contracts'
  | 'percent'
  | 'vnd_per_min'
  | 'vnd_per_min2'
  | 'shares_per_min'
  | 'multiple'
  | 'count'

export type Comparison = '>' | '>=' | '<' | '<=' | '==' | 'crosses_above' | 'crosses_below'

export interface AlertDetail {
  value: number
  unit: AlertUnit | null
}

// An alert's facts as fields: the UI builds its own sentence from them (lib/model/alertText.ts); `message` is the
// server's English sentence.
export interface Alert {
  id: number
  type: AlertType
  severity: Severity
  symbol: string // ticker, index id, or a futures contract's KRX code
  contract: string | null // futures: VN30FYYMM
  alias: string | null // futures: VN30F1M..VN30F2Q
  rule_id: number // 0 for built-ins
  rule_name: string
  metric: string // a rule metric, or for built-ins minute_volume, last_price, foreign_net_accel_val, basis...
  unit: AlertUnit | null
  direction: 'up' | 'down' | null // up = ceiling / premium / buying / above a level
  comparison: Comparison | null // user rules only
  window_sec: number | null
  value: number
  threshold: number
  details: Record<string, AlertDetail>
  time: ExchangeTime | null
  message: string
  deliveries?: AlertDelivery[] // REST only (/api/market/alerts, /api/history/alerts): how each delivery ended
}

// How one delivery of an alert ended (webhook, a rule's webhook, Telegram).
export interface AlertDelivery {
  channel: 'webhook' | 'rule_webhook' | 'telegram'
  result: 'delivered' | 'given_up' | 'dropped'
  attempts: number
  status: number | null // the last HTTP status; null: no reply
  error: string | null
  time: UtcTime // when it ended: UTC wall clock
}

export type Frequency = 'every_time' | 'once_per_bar' | 'once'

export interface AlertRule {
  id: number
  name: string
  metric: string
  symbol: string // ticker, futures code or alias, index id, or '*'
  comparison: Comparison
  threshold: number // API unit: VND for stock prices, points for futures and indices
  cooldown_sec: number
  enabled: boolean
  severity: Severity
  frequency: Frequency
  window_min: number // active_buy_ratio_window's window, 1..60
  webhook_url: string
}

// The one candle shape of the API (src/api/candle_json.h): today's (/api/market/candles), stored and
// aggregated ones (/api/history/{symbol}/candles) and `vntracker replay`'s. A missing price is null.
export interface Candle {
  symbol: string
  time: ExchangeTime // the bar's start (a daily bar: 00:00 of its date)
  open: number | null
  high: number | null
  low: number | null
  close: number | null
  volume: number
  active_buy_vol: number
  active_sell_vol: number
  neutral_vol: number
  value: number
  trade_count: number
  closed: boolean // the bar's interval has ended: it will not change
}

// A WebSocket message of /ws/market, /ws/foreign, /ws/index or /ws/alerts.
// The default payload is untyped on purpose: each channel's handler narrows `data` (see contract/wire.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface WsMessage<D = any> {
  type: 'snapshot' | 'delta' | 'alert'
  channel: string
  seq: number
  // The stream epoch (the engine's start, Unix ms): seqs start again when it changes.
  epoch?: number
  trading_date?: TradingDate | null
  exchange_time?: ClockTime | null
  session?: string | null
  // A delta that carries the whole state (a new trading day): applied like a snapshot.
  full?: boolean
  sent_ms?: number // deltas: when the server sent it (Unix ms)
  data: D
}
