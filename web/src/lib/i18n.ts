// Vietnamese and English labels; the choice is kept in localStorage.
import { ValueStore, useValue } from './store'

export type Lang = 'vi' | 'en'

const dict = {
  board: ['Bảng giá', 'Price board'],
  charts: ['Biểu đồ', 'Charts'],
  foreign: ['Khối ngoại', 'Foreign flow'],
  volume: ['Phân tích KL', 'Volume analysis'],
  derivatives: ['Phái sinh', 'Derivatives'],
  signals: ['Tín hiệu', 'Signals'],
  live: ['Trực tuyến', 'Live'],
  reconnecting: ['Đang kết nối lại', 'Reconnecting'],
  connecting: ['Đang kết nối', 'Connecting'],
  stale: ['Dữ liệu cũ', 'Stale data'],
  session: ['Phiên', 'Session'],
  symbol: ['Mã', 'Symbol'],
  ref: ['TC', 'Ref'],
  ceiling: ['Trần', 'Ceil'],
  floor: ['Sàn', 'Floor'],
  bid: ['Dư mua', 'Bid'],
  ask: ['Dư bán', 'Ask'],
  matched: ['Khớp lệnh', 'Matched'],
  price: ['Giá', 'Price'],
  vol: ['KL', 'Vol'],
  change: ['+/-', 'Chg'],
  changePct: ['%', '%'],
  totalVol: ['Tổng KL', 'Total vol'],
  high: ['Cao', 'High'],
  low: ['Thấp', 'Low'],
  fBuy: ['NN mua', 'F. buy'],
  fSell: ['NN bán', 'F. sell'],
  room: ['Room', 'Room'],
  activeBuy: ['Mua CĐ', 'Act. buy'],
  trend: ['Xu hướng', 'Trend'],
  watchlist: ['Danh mục theo dõi', 'Watchlist'],
  watchOnly: ['Chỉ danh mục', 'Watchlist only'],
  filter: ['Lọc mã…', 'Filter…'],
  advances: ['Tăng', 'Up'],
  declines: ['Giảm', 'Down'],
  unchanged: ['Đứng', 'Flat'],
  value: ['GTGD', 'Value'],
  priceUnit: ['Giá: nghìn VND · KL: cổ phiếu', 'Prices: thousand VND · volumes: shares'],
  loading: ['Đang tải…', 'Loading…'],
  noData: ['Chưa có dữ liệu', 'No data yet'],
  instrument: ['Mã/chỉ số', 'Instrument'],
  buyVol: ['KL mua CĐ', 'Active buy vol'],
  sellVol: ['KL bán CĐ', 'Active sell vol'],
  neutral: ['Trung tính', 'Neutral'],
  totals: ['Tổng VN30', 'VN30 totals'],
  netVal: ['Ròng (tỷ)', 'Net (bn VND)'],
  buyVal: ['Mua (tỷ)', 'Buy (bn VND)'],
  sellVal: ['Bán (tỷ)', 'Sell (bn VND)'],
  speed: ['Tốc độ/phút', 'Speed/min'],
  accel: ['Gia tốc', 'Accel.'],
  roomUsed: ['Room đã dùng', 'Room used'],
  topBuyers: ['Mua ròng nhiều nhất', 'Top net buyers'],
  topSellers: ['Bán ròng nhiều nhất', 'Top net sellers'],
  cumNet: ['Giá trị ròng lũy kế VN30 (tỷ)', 'VN30 cumulative net flow (bn VND)'],
  perSession: ['Theo phiên', 'By session'],
  ratioOverTime: ['Tỷ lệ mua chủ động & số lệnh theo phút', 'Active-buy ratio & trades per minute'],
  vap: ['Khối lượng theo giá', 'Volume at price'],
  trades: ['Số lệnh', 'Trades'],
  contract: ['Hợp đồng', 'Contract'],
  alias: ['Bí danh', 'Alias'],
  expiry: ['Đáo hạn', 'Expiry'],
  daysLeft: ['Ngày còn lại', 'Days left'],
  last: ['Giá', 'Last'],
  basis: ['Basis', 'Basis'],
  basisPct: ['Basis %', 'Basis %'],
  fairBasis: ['Basis hợp lý', 'Fair basis'],
  premium: ['Trạng thái', 'Prem./disc.'],
  premiumWord: ['Premium', 'Premium'],
  discountWord: ['Discount', 'Discount'],
  basisOverTime: ['Basis theo thời gian', 'Basis over time'],
  convergence: ['Hội tụ về 0 khi đáo hạn', 'Convergence to expiry'],
  pathToZero: ['về 0', 'to zero'],
  requiredSlope: ['Độ dốc cần/phút', 'Slope to 0/min'],
  slope: ['Độ dốc/phút', 'Slope/min'],
  projected: ['Basis dự phóng', 'Projected basis'],
  minutesLeft: ['Phút GD còn lại', 'Trading min left'],
  alertFeed: ['Cảnh báo trực tiếp', 'Live alerts'],
  all: ['Tất cả', 'All'],
  severity: ['Mức độ', 'Severity'],
  type: ['Loại', 'Type'],
  sound: ['Âm thanh (nghiêm trọng)', 'Sound (critical)'],
  rules: ['Quy tắc cảnh báo', 'Alert rules'],
  name: ['Tên', 'Name'],
  metric: ['Chỉ tiêu', 'Metric'],
  comparison: ['So sánh', 'Comparison'],
  threshold: ['Ngưỡng', 'Threshold'],
  cooldown: ['Giãn cách (giây)', 'Cooldown (s)'],
  enabled: ['Bật', 'Enabled'],
  create: ['Tạo quy tắc', 'Create rule'],
  delete: ['Xoá', 'Delete'],
  time: ['Giờ', 'Time'],
  message: ['Nội dung', 'Message'],
  noAlerts: ['Chưa có cảnh báo', 'No alerts yet'],
  noRules: ['Chưa có quy tắc', 'No rules yet'],
  history: ['Lịch sử từ máy chủ, phút hiện tại trực tiếp', 'History from the server, current minute live'],
  storeNeeded: ['Cần kho lịch sử (--db sqlite:…)', 'Needs the history store (--db sqlite:…)'],
  spot: ['VN30', 'VN30'],
  ato: ['ATO', 'ATO'],
  continuous: ['Liên tục', 'Continuous'],
  putThrough: ['Thỏa thuận', 'Put-through'],
  atc: ['ATC', 'ATC'],
} as const

export type Key = keyof typeof dict

export const lang = new ValueStore<Lang>(
  (typeof localStorage !== 'undefined' && (localStorage.getItem('vnt.lang') as Lang)) || 'vi',
)

export function setLang(l: Lang): void {
  localStorage.setItem('vnt.lang', l)
  document.documentElement.lang = l
  lang.set(l)
}

export function translate(l: Lang, k: Key): string {
  return dict[k][l === 'vi' ? 0 : 1]
}

export function useT(): (k: Key) => string {
  const l = useValue(lang)
  return (k: Key) => translate(l, k)
}

export const sessionNames: Record<string, [string, string]> = {
  ATO: ['Phiên mở cửa (ATO)', 'Opening auction (ATO)'],
  LO: ['Khớp lệnh liên tục', 'Continuous trading'],
  BREAK: ['Nghỉ trưa', 'Lunch break'],
  ATC: ['Phiên đóng cửa (ATC)', 'Closing auction (ATC)'],
  PT: ['Thỏa thuận', 'Put-through'],
  C: ['Đóng cửa', 'Closed'],
  HALT: ['Tạm ngừng', 'Halted'],
}
