// End-to-end test of the web app in Debian's Chromium against the real `vntracker serve` with the simulator.
// Usage: node e2e/run.mjs <path/to/vntracker> [--dist web/dist] [--out artifacts-dir]
// Starts the server on a free port with a throwaway SQLite store, checks every page with live data, the
// board's updates and render time, the board's keyboard (type a ticker, arrows, Enter, "/"), list filters and
// named watchlists, the symbol page opened from the board by keyboard (time & sales arriving live, the order
// book's levels, the chart's timeframes and history, the crosshair legend, the multi-day foreign net and basis, and
// their message on a server without a store), the board's traded value and average price, CSV exports read back, navigation,
// a user rule made in the Vietnamese UI (price in thousands of VND) arriving as a toast on another page and in
// the Signals feed (filtered, paged), every page at 1600x1000, 1366x768 and 390x844 in both languages (no
// horizontal overflow at the two smaller sizes, no English left in the Vietnamese pages, the board's columns
// all visible at 1366 px, a card per symbol and a menu on the phone), the light theme, the pre-open board of a
// second server in the ATO auction, and reconnection after the server is killed (SIGKILL) and restarted on the
// same port (the board dimmed under a banner meanwhile). Screenshots and a results.json go to the artefacts
// directory. Exit status 0 only when every check passed.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launch } from './browser.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const opt = (name, def) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : def
}
const BIN = args[0]
const DIST = resolve(opt('--dist', join(here, '..', 'dist')))
const OUT = resolve(opt('--out', join(here, '..', 'e2e-artifacts')))
if (!BIN || !existsSync(BIN)) {
  console.error(`usage: node e2e/run.mjs <vntracker binary> (got ${BIN})`)
  process.exit(2)
}
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`${DIST}/index.html missing: run npm run build first`)
  process.exit(2)
}
mkdirSync(OUT, { recursive: true })
const TMP = mkdtempSync(join(tmpdir(), 'vnt-e2e-'))

const results = { checks: [], timings: {}, render: null }
let failed = 0
function check(name, ok, detail = '') {
  results.checks.push({ name, ok, detail })
  if (!ok) failed++
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`)
}

const freePort = () =>
  new Promise((res) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => res(p))
    })
  })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
async function until(fn, timeoutMs, what) {
  const end = Date.now() + timeoutMs
  let last
  while (Date.now() < end) {
    try {
      last = await fn()
      if (last) return last
    } catch (e) {
      last = e
    }
    await sleep(200)
  }
  throw new Error(`timed out waiting for ${what} (${last})`)
}

const PORT = await freePort()
const BASE = `http://127.0.0.1:${PORT}`
let server = null
function startServer() {
  server = spawn(
    BIN,
    [
      'serve',
      '--port',
      String(PORT),
      '--db',
      `sqlite:${join(TMP, 'e2e.db')}`,
      '--speed',
      '20',
      '--sim-start',
      '09:14:30',
      '--web',
      DIST,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  server.stderr.on('data', () => {})
  return until(async () => (await fetch(`${BASE}/health`)).ok, 30000, 'server /health')
}
// A second server in the opening auction (no store), for the pre-open board.
let atoServer = null

// English words that leaked into the Vietnamese UI before (and a few more): none may appear on a VI page.
const LEAKS = [
  'Premium',
  'Discount',
  'front',
  'basket',
  'fair',
  'bn',
  'index',
  'WARNING',
  'Warning',
  'Loading',
  'Trend',
  'Filter',
  'Watchlist',
  'Volume',
  'Active',
  'Neutral',
  'Buy',
  'Sell',
  'Trades',
  'History',
  'Reconnecting',
  'Live',
  'Stale',
  'Symbol',
  'Price',
  'Export',
  'Session',
  'Foreign',
  'Ceil',
  'Floor',
  'Bid',
  'Ask',
  'Open',
  'Close',
  'Time',
]
const LEAK_RE = new RegExp(`\\b(${LEAKS.join('|')})\\b`, 'g')
const pageWords = (page) =>
  page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[placeholder],[title],[aria-label]')].flatMap((e) => [
      e.getAttribute('placeholder') ?? '',
      e.getAttribute('title') ?? '',
      e.getAttribute('aria-label') ?? '',
    ])
    return `${document.body.innerText}\n${attrs.join('\n')}`
  })
const leaksOf = (text) => [...new Set(text.match(LEAK_RE) ?? [])]
// Reads a CSV export back: RFC 4180 fields, the BOM kept apart.
function parseCsv(text) {
  const bom = text.charCodeAt(0) === 0xfeff
  const s = bom ? text.slice(1) : text
  const rows = []
  let row = []
  let f = ''
  let q = false
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (q) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          f += '"'
          i++
        } else q = false
      } else f += c
    } else if (c === '"') q = true
    else if (c === ',') {
      row.push(f)
      f = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++
      row.push(f)
      rows.push(row)
      row = []
      f = ''
    } else f += c
  }
  if (f !== '' || row.length) {
    row.push(f)
    rows.push(row)
  }
  return { bom, rows }
}
// A CSV endpoint as the export links ask it: status, type, file name, BOM, header and rows.
async function fetchCsv(href) {
  const r = await fetch(BASE + href)
  // The bytes as sent: a TextDecoder would drop the BOM that Excel needs.
  const text = Buffer.from(await r.arrayBuffer()).toString('utf8')
  return {
    status: r.status,
    type: r.headers.get('content-type') ?? '',
    disposition: r.headers.get('content-disposition') ?? '',
    ...parseCsv(text),
  }
}

const t0 = Date.now()
let ctx
try {
  await startServer()
  results.timings.server_start_ms = Date.now() - t0
  ctx = await launch()
  const page = ctx.pages()[0] ?? (await ctx.newPage())
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    // Refused connections while the server is down are expected.
    if (m.type() === 'error' && !/Failed to load resource|WebSocket connection to/.test(m.text())) errors.push(m.text())
  })
  const shot = (name) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true })

  // ---- price board ----
  const tb = Date.now()
  await page.goto(BASE + '/')
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=board] tbody tr[data-symbol]').length === 30,
    null,
    { timeout: 30000 },
  )
  results.timings.board_first_rows_ms = Date.now() - tb
  check('board shows the 30 VN30 stocks', true)
  const vn30 = await page.textContent('[data-index=VN30]')
  check(
    'index VN30 with value and breadth',
    /\d,\d{3}\.\d\d/.test(vn30) && /▲\s*\d+/.test(vn30),
    vn30.replace(/\s+/g, ' ').slice(0, 80),
  )
  check('index VNINDEX shown', /\d,\d{3}\.\d\d/.test(await page.textContent('[data-index=VNINDEX]')))
  await page.evaluate(() => {
    window.__measures = []
    new PerformanceObserver((l) => {
      for (const e of l.getEntries())
        window.__measures.push({ d: e.duration, rows: e.detail?.rows ?? 0, apply: e.detail?.apply ?? 0 })
    }).observe({ type: 'measure' })
  })
  const boardText = () => page.textContent('[data-testid=board] tbody')
  const before = await boardText()
  await until(async () => (await boardText()) !== before, 15000, 'board values to change')
  check('board updates live (values change)', true)
  {
    // Chromium offers permessage-deflate: the server must have agreed it for the board's sockets, and the
    // compressed frames must have kept the board live (just checked above).
    const metrics = await (await fetch(`${BASE}/metrics`)).text()
    const m = /^vnt_ws_deflate_clients (\d+)/m.exec(metrics)
    check('WebSockets from the browser use permessage-deflate', m && Number(m[1]) >= 1, m ? m[0] : 'no metric')
  }
  await until(
    () => page.evaluate(() => [...document.querySelectorAll('[data-testid=board] svg polyline')].length >= 25),
    20000,
    'sparklines',
  )
  check('sparklines drawn from the server series', true)
  await sleep(8000)
  const m = await page.evaluate(() => window.__measures)
  const d = m.map((x) => x.d).sort((a, b) => a - b)
  const pct = (p) => d[Math.min(d.length - 1, Math.floor(p * d.length))]
  results.render = {
    updates: d.length,
    rows_per_update_avg: m.length ? m.reduce((s, x) => s + x.rows, 0) / m.length : 0,
    median_ms: pct(0.5),
    apply_median_ms: m.map((x) => x.apply).sort((a, b) => a - b)[Math.floor(m.length / 2)] ?? null,
    p95_ms: pct(0.95),
    max_ms: d[d.length - 1],
  }
  // The 8 ms budget is a performance target: it is measured and recorded here (results.json, and
  // bench/RESULTS.md), never asserted, because a timed check on a shared 2-core machine fails at random
  // (design.md §5: speed lives in benchmarks). Set VNT_RENDER_BUDGET_MS to assert it on a quiet machine.
  const [load] = loadavg()
  results.render.load_1m = load
  results.render.cores = availableParallelism()
  const detail = `${d.length} updates of ~${Math.round(results.render.rows_per_update_avg)} rows, median ${pct(0.5)?.toFixed(2)} ms, p95 ${pct(0.95)?.toFixed(2)} ms, max ${d[d.length - 1]?.toFixed(2)} ms, load ${load.toFixed(1)}`
  check('board render timings measured', d.length >= 5, detail)
  if (process.env.VNT_RENDER_BUDGET_MS) {
    const budget = Number(process.env.VNT_RENDER_BUDGET_MS)
    check(`render work per board update <= ${budget} ms (median)`, pct(0.5) <= budget, detail)
  } else {
    console.log(`NOTE render per board update (target <= 8 ms, median): ${detail}`)
  }
  // sorting
  // Click and read in one task: React applies the click synchronously and no tick can interleave.
  const pcts = await page.evaluate(async () => {
    document.querySelector('th[data-sort=change_pct]').click()
    await Promise.resolve() // React flushes the click's update in a microtask
    return [...document.querySelectorAll('[data-testid=board] tbody tr[data-symbol]')].map(
      (r) => parseFloat(r.children[14].textContent.replace('%', '')) || 0,
    )
  })
  check(
    'sort by % change (descending)',
    pcts.every((v, i) => i === 0 || pcts[i - 1] >= v),
    pcts.slice(0, 6).join(' '),
  )
  // traded value (billions of VND) and average price (VWAP) per stock, as the server counts them
  const cols = await page.evaluate(() => {
    const r = document.querySelector('[data-testid=board] tbody tr[data-symbol=FPT]')
    const head = (k) => document.querySelector(`[data-testid=board] th[data-sort=${k}]`)?.textContent ?? ''
    return {
      value: r.children[22].textContent,
      avg: r.children[23].textContent,
      hv: head('total_val'),
      ha: head('vwap'),
    }
  })
  const fptApi = await (await fetch(`${BASE}/api/market/symbol/FPT`)).json()
  const shownBn = parseFloat(cols.value.replace(/,/g, ''))
  const apiBn = fptApi.total_val / 1e9
  check(
    'board: traded value (tỷ) and average price columns',
    cols.hv === 'GT (tỷ)' &&
      cols.ha === 'Giá TB' &&
      /^[\d,]+\.\d$/.test(cols.value) &&
      shownBn > 0 &&
      shownBn <= apiBn + 0.05 &&
      shownBn >= apiBn * 0.9 - 0.2 &&
      /^\d+\.\d\d$/.test(cols.avg) &&
      Math.abs(parseFloat(cols.avg) * 1000 - fptApi.vwap) / fptApi.vwap < 0.01,
    `FPT ${cols.hv} ${cols.value} (API ${apiBn.toFixed(2)}), ${cols.ha} ${cols.avg} (API VWAP ${fptApi.vwap})`,
  )
  const vals = await page.evaluate(async () => {
    document.querySelector('th[data-sort=total_val]').click()
    await Promise.resolve()
    return [...document.querySelectorAll('[data-testid=board] tbody tr[data-symbol]')].map(
      (r) => parseFloat(r.children[22].textContent.replace(/,/g, '')) || 0,
    )
  })
  check(
    'sort by traded value (descending)',
    vals.length === 30 && vals.every((v, i) => i === 0 || vals[i - 1] >= v),
    vals.slice(0, 5).join(' '),
  )
  await page.click('th[data-sort=symbol]')
  await page.click('th[data-sort=symbol]')
  const desc = await page.$$eval('[data-testid=board] tbody tr[data-symbol]', (r) => r.map((x) => x.dataset.symbol))
  check('sort by symbol (descending)', desc.join() === [...desc].sort().reverse().join() && desc.length === 30)
  await page.click('th[data-sort=symbol]')
  // watchlists: the star adds to the active list; a second, named list
  const rowSyms = () => page.$$eval('[data-testid=board] tbody tr[data-symbol]', (r) => r.map((x) => x.dataset.symbol))
  await page.click('button[aria-label="watch FPT"]')
  await page.click('button[aria-label="watch VNM"]')
  await page.check('[data-testid=watch-only]')
  const watched = await rowSyms()
  check('watchlist filter', watched.join(',') === 'FPT,VNM', watched.join(','))
  await page.click('[data-testid=watchlist-new]')
  await page.fill('[data-testid=watchlist-name]', 'Ngân hàng')
  await page.click('[data-testid=watchlist-add]')
  await page.uncheck('[data-testid=watch-only]')
  for (const s of ['VCB', 'BID', 'CTG']) await page.click(`button[aria-label="watch ${s}"]`)
  await page.check('[data-testid=watch-only]')
  const banks = await rowSyms()
  await page.selectOption('[data-testid=watchlist-select]', '0')
  const firstList = await rowSyms()
  const savedLists = await page.evaluate(() => JSON.parse(localStorage.getItem('vnt.watchlists')))
  check(
    'several named watchlists, kept in the browser',
    banks.join(',') === 'BID,CTG,VCB' &&
      firstList.join(',') === 'FPT,VNM' &&
      savedLists.lists.length === 2 &&
      savedLists.lists[1].name === 'Ngân hàng',
    `${savedLists.lists.map((l) => `${l.name}: ${l.symbols.join(' ')}`).join(' | ')}`,
  )
  await page.uncheck('[data-testid=watch-only]')
  const exports = { board: await page.getAttribute('[data-testid=export-board]', 'href') }
  await shot('board')

  // ---- the board's keyboard: "/" focuses the filter (lists allowed); type a ticker, arrows, Enter opens ----
  await page.evaluate(() => document.activeElement?.blur())
  await page.keyboard.press('/')
  check('"/" focuses the filter', await page.evaluate(() => document.activeElement?.dataset.testid === 'board-filter'))
  await page.keyboard.type('FPT,VNM')
  const listed = await until(
    async () => {
      const r = await rowSyms()
      return r.join(',') === 'FPT,VNM' && r
    },
    5000,
    'the list filter',
  )
  check('the filter takes a list ("FPT,VNM")', true, listed.join(','))
  await page.fill('[data-testid=board-filter]', '')
  await page.keyboard.press('Escape') // leaves the filter
  const selectedRow = () => page.getAttribute('[data-testid=board] tr[data-selected]', 'data-symbol').catch(() => null)
  await page.keyboard.type('VN')
  const sel1 = await selectedRow()
  await page.keyboard.press('ArrowDown')
  const sel2 = await selectedRow()
  await page.keyboard.press('ArrowUp')
  await page.keyboard.press('ArrowUp')
  const sel3 = await selectedRow()
  check(
    'type a ticker to jump, arrow keys move the selection',
    sel1 === 'VNM' && sel2 === 'VPB' && sel3 === 'VJC',
    `VN -> ${sel1}, down -> ${sel2}, up up -> ${sel3}`,
  )
  await page.keyboard.press('Escape')
  await page.keyboard.type('FPT')
  const sel4 = await selectedRow()
  const tOpen = Date.now()
  await page.keyboard.press('Enter')
  await page.waitForSelector('[data-testid=symbol-page][data-symbol=FPT]', { timeout: 10000 })
  check(
    'Enter on the selected row opens /symbol/FPT',
    sel4 === 'FPT' && new URL(page.url()).pathname === '/symbol/FPT',
    page.url(),
  )

  // ---- the symbol page ----
  const trSeqs = () => page.$$eval('[data-testid=trades] tbody tr', (r) => r.map((x) => Number(x.dataset.seq)))
  const firstSeqs = await until(
    async () => {
      const s = await trSeqs()
      return s.length > 0 && s
    },
    15000,
    'time & sales rows',
  )
  const topSeq = Math.max(...firstSeqs)
  const newer = await until(
    async () => {
      const s = await trSeqs()
      return s.some((x) => x > topSeq) && s
    },
    20000,
    'new trades arriving',
  )
  results.timings.symbol_page_live_trade_ms = Date.now() - tOpen
  check(
    'time & sales: trades arrive live from /ws/trades',
    (await page.getAttribute('[data-testid=time-sales]', 'data-status')) === 'live',
    `${firstSeqs.length} rows, newest #${topSeq} -> #${Math.max(...newer)}, ${Date.now() - tOpen} ms after Enter`,
  )
  const sides = await page.$$eval('[data-testid=trades] tbody tr', (r) =>
    r.slice(0, 200).map((x) => [x.dataset.side, x.children[3].className]),
  )
  check(
    'time & sales: aggressor side coloured (buy green, sell red)',
    sides.some((s) => s[0] === 'buy') &&
      sides.some((s) => s[0] === 'sell') &&
      sides.every(([s, c]) => (s === 'buy' ? c.includes('text-up') : s === 'sell' ? c.includes('text-down') : true)),
    `${sides.filter((s) => s[0] === 'buy').length} buy, ${sides.filter((s) => s[0] === 'sell').length} sell`,
  )
  const quote = await page.$$eval(
    '[data-testid=quote-ref],[data-testid=quote-ceiling],[data-testid=quote-floor]',
    (e) => e.map((x) => x.textContent),
  )
  check(
    'quote: reference, ceiling, floor',
    quote.length === 3 && quote.every((q) => /^\d+\.\d\d$/.test(q)),
    quote.join(' / '),
  )
  check(
    'order book: every level the feed sends (3 for a HOSE stock)',
    (await page.getAttribute('[data-testid=orderbook]', 'data-levels')) === '3',
  )
  const bars = (attr = 'data-bars') => page.getAttribute('[data-testid=chart-count]', attr)
  await until(async () => Number(await bars()) > 0, 15000, 'intraday bars')
  const legend0 = await page.textContent('[data-testid=chart-legend]')
  check(
    'intraday chart with OHLC legend and VWAP',
    (await page.$$('[data-testid=chart] canvas')).length > 0 &&
      /Đóng \d+\.\d\d/.test(legend0) &&
      /VWAP \d/.test(legend0),
    `${await bars()} bars; ${legend0.slice(0, 90)}`,
  )
  // the minimum-size filter, then its CSV (a download) read back
  await page.fill('[data-testid=trades-min]', '10000')
  const bigVols = await until(
    async () => {
      const v = await page.$$eval('[data-testid=trades] tbody tr', (r) => r.map((x) => Number(x.dataset.volume)))
      return v.length > 0 && v.every((x) => x >= 10000) && v
    },
    10000,
    'big trades only',
  )
  check('time & sales: minimum-size filter', true, `${bigVols.length} trades >= 10,000`)
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 15000 }),
    page.click('[data-testid=export-trades]'),
  ])
  const dlName = dl.suggestedFilename()
  const dlPath = join(OUT, dlName)
  await dl.saveAs(dlPath)
  const tsCsv = parseCsv(readFileSync(dlPath, 'utf8'))
  const hdr = tsCsv.rows[0] ?? []
  const tsRows = tsCsv.rows.slice(1).filter((r) => r.length > 1)
  const iVol = hdr.indexOf('volume')
  check(
    'CSV export of time & sales downloaded and read back',
    tsCsv.bom &&
      /^vnt-trades-FPT-\d{4}-\d\d-\d\d\.csv$/.test(dlName) &&
      ['seq', 'time', 'price', 'volume', 'side'].every((h) => hdr.includes(h)) &&
      tsRows.length > 0 &&
      tsRows.every((r) => Number(r[iVol]) >= 10000),
    `${dlName}: ${tsRows.length} rows, header ${hdr.join(',')}`,
  )
  await page.fill('[data-testid=trades-min]', '')
  // timeframes over today (from memory), then five days from the history store
  await page.click('[data-tf="5m"]')
  await until(async () => (await bars('data-tf')) === '5m' && Number(await bars()) > 0, 10000, '5-minute bars')
  await page.click('[data-range="range_5d"]')
  await until(
    async () => (await bars('data-history')) === '1' && Number(await bars()) > 0,
    15000,
    'bars from the history store',
  )
  check(
    'chart: 5-minute bars over 5 days from the history store',
    true,
    await page.textContent('[data-testid=chart-count]'),
  )
  // 1-minute bars of the range (fitted to the width), then the crosshair over one of the first ones
  await page.click('[data-tf="1m"]')
  await until(
    async () => (await bars('data-tf')) === '1m' && (await bars('data-history')) === '1' && Number(await bars()) >= 3,
    15000,
    '1-minute history',
  )
  const box = await page.locator('[data-testid=chart]').boundingBox()
  const lastTime = await page.getAttribute('[data-testid=chart-legend]', 'data-time')
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4)
  const hoverTime = await until(
    async () => {
      const t = await page.getAttribute('[data-testid=chart-legend]', 'data-time')
      return t && t !== lastTime && t
    },
    5000,
    'the legend following the crosshair',
  ).catch(() => null)
  check(
    'OHLC legend follows the crosshair',
    hoverTime !== null && Number(hoverTime) < Number(lastTime),
    `${lastTime} -> ${hoverTime}`,
  )
  await page.mouse.move(1, 1)
  await page.click('[data-tf="1d"]')
  await until(async () => (await bars('data-tf')) === '1d' && Number(await bars()) >= 1, 15000, 'daily bars')
  check('chart: daily bars', true, await page.textContent('[data-testid=chart-count]'))
  await page.click('[data-tf="1m"]')
  await page.click('[data-range="range_today"]')
  await until(async () => (await bars('data-history')) === '0' && Number(await bars()) > 0, 10000, 'back to today')
  const cont = await page.textContent('[data-testid=session-flow] tr[data-session=continuous]')
  await until(() => page.$$eval('[data-testid=volume-profile] .vap-row', (r) => r.length > 0), 10000, 'volume at price')
  const room = await page.textContent('[data-testid=foreign-room]')
  check(
    'active buy/sell by session, volume at price, foreign flow and room',
    /\d{1,3}(,\d{3})+/.test(cont) && /\d/.test(room),
    `${cont.replace(/\s+/g, ' ').slice(0, 70)}; room ${room}`,
  )
  // the stock's foreign net over several days, from the store
  const fh = await until(
    async () => {
      const st = await page.getAttribute('[data-testid=foreign-history]', 'data-status')
      return st !== 'loading' && st
    },
    15000,
    'the foreign history',
  )
  const fhDays = Number(await page.getAttribute('[data-testid=foreign-history]', 'data-days'))
  const fhTotal = fh === 'ok' ? await page.textContent('[data-testid=foreign-history-total]') : ''
  const fhRows = await page.$$eval('[data-testid=foreign-history-table] tbody tr', (r) => r.map((x) => x.dataset.date))
  const fhCsv =
    fh === 'ok' ? await fetchCsv(await page.getAttribute('[data-testid=export-foreign-daily]', 'href')) : null
  check(
    'symbol page: multi-day foreign net (chart, table, net over the range in tỷ/triệu, CSV)',
    fh === 'ok' &&
      fhDays >= 1 &&
      fhRows.length === fhDays &&
      /\d (tỷ|triệu|đ)$/.test(fhTotal.trim()) &&
      (await page.$$('[data-testid=foreign-history] .recharts-surface')).length > 0 &&
      fhCsv?.status === 200 &&
      fhCsv.rows.length >= 2,
    `${fh}, ${fhDays} days (${fhRows.join(' ')}), net ${fhTotal}, CSV ${fhCsv?.status} ${fhCsv?.rows.length} rows`,
  )
  await shot('symbol-FPT')

  // a futures contract through the header's search: the book's 10 levels, its trades
  await page.fill('[data-testid=symbol-search]', 'VN30F1M')
  await page.press('[data-testid=symbol-search]', 'Enter')
  await page.waitForSelector('[data-testid=symbol-page][data-symbol=VN30F1M]', { timeout: 10000 })
  await until(
    async () => (await page.getAttribute('[data-testid=orderbook]', 'data-levels')) === '10',
    10000,
    '10 levels',
  )
  const futTrades = await until(
    async () => {
      const s = await trSeqs()
      return s.length > 0 && s.length
    },
    15000,
    'futures trades',
  )
  check('futures symbol page (alias typed in the search): 10 book levels, trades', true, `${futTrades} trades`)
  // the contract's basis over several days, from the store
  const bh = await until(
    async () => {
      const st = await page.getAttribute('[data-testid=basis-history]', 'data-status')
      return st !== 'loading' && st
    },
    20000,
    'the basis history',
  )
  const bhAttr = await page.$eval('[data-testid=basis-history]', (e) => ({
    days: Number(e.dataset.days),
    points: Number(e.dataset.points),
  }))
  const bhRow = await page.$$eval('[data-testid=basis-history-table] tbody tr', (r) =>
    r.map((x) => [...x.children].map((c) => c.textContent)),
  )
  check(
    'futures symbol page: multi-day basis (a line per minute with the fair basis, a row per day)',
    bh === 'ok' &&
      bhAttr.days >= 1 &&
      bhAttr.points >= 1 &&
      bhRow.length === bhAttr.days &&
      /^[+-]?\d+\.\d\d$/.test(bhRow[0]?.[1] ?? '') &&
      (await page.$$('[data-testid=basis-history] .recharts-line-curve')).length === 2,
    `${bh}, ${bhAttr.days} days, ${bhAttr.points} minutes; newest ${JSON.stringify(bhRow[0])}`,
  )
  await shot('symbol-VN30F1M')
  await page.click('[data-testid=back-to-board]')
  await page.waitForSelector('[data-testid=board] tbody tr[data-symbol]')

  // ---- navigation and pages ----
  const nav = async (key, testid) => {
    await page.click(`a[data-nav=${key}]`)
    await page.waitForSelector(testid, { timeout: 20000 })
  }
  const chartBars = async () => Number(await page.getAttribute('[data-testid=chart-count]', 'data-bars'))
  await nav('charts', '[data-testid=chart]')
  await until(async () => (await chartBars()) > 0, 20000, 'VN30 candles')
  check(
    'charts: VN30 candles',
    (await page.$$('[data-testid=chart] canvas')).length > 0,
    await page.textContent('[data-testid=chart-count]'),
  )
  await shot('charts-vn30')
  for (const sym of ['ACB', 'VN30F1M']) {
    await page.selectOption('[data-testid=chart-symbol]', sym)
    await until(
      async () => (await chartBars()) > 0 && (await page.getAttribute('[data-testid=chart-legend]', 'data-close')),
      20000,
      `${sym} candles`,
    )
    const last1 = await page.textContent('[data-testid=chart-legend]')
    check(`charts: ${sym} candles with live last minute`, /Đóng\s*[\d,.]+/.test(last1), last1.slice(0, 70))
    await shot(`charts-${sym}`)
  }

  await nav('foreign', '[data-testid=foreign-page]')
  await until(() => page.$$eval('[data-testid=foreign-table] tbody tr', (r) => r.length >= 25), 20000, 'foreign rows')
  await until(() => page.$('.recharts-area-area'), 20000, 'cumulative net flow chart')
  check('foreign flow: per-symbol table and cumulative chart', true)
  exports.foreign = await page.getAttribute('[data-testid=export-foreign]', 'href')
  await shot('foreign')

  await nav('volume', '[data-testid=volume-page]')
  await until(() => page.$$eval('[data-testid=volume-table] tbody tr', (r) => r.length === 30), 20000, 'volume rows')
  await until(() => page.$$eval('.recharts-bar-rectangle', (r) => r.length > 30), 20000, 'volume bars')
  await page.selectOption('[data-testid=volume-symbol]', 'FPT')
  await until(() => page.$$eval('.recharts-bar-rectangle', (r) => r.length > 60), 20000, 'volume at price')
  check('volume analysis: table, ratio over time, volume at price', true)
  exports.volume = await page.getAttribute('[data-testid=export-volume]', 'href')
  await shot('volume')

  await nav('derivatives', '[data-testid=derivatives-page]')
  await until(() => page.$$eval('[data-testid=futures-table] tbody tr', (r) => r.length === 4), 20000, '4 contracts')
  await until(() => page.$$eval('.recharts-line-curve', (r) => r.length >= 4), 20000, 'basis lines')
  const fut = await page.textContent('[data-testid=futures-table]')
  check(
    'derivatives: four contracts with basis',
    ['VN30F1M', 'VN30F2M', 'VN30F1Q', 'VN30F2Q'].every((a) => fut.includes(a)),
  )
  await shot('derivatives')

  // ---- market overview: heatmap, contributions to the VN30, VNINDEX breadth, put-through ----
  await nav('overview', '[data-testid=overview-page]')
  await until(() => page.$$eval('[data-testid=heatmap] [data-tile]', (t) => t.length === 30), 20000, '30 heatmap tiles')
  const tiles = await page.$$eval('[data-testid=heatmap] [data-tile]', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect()
      return { s: e.dataset.tile, v: Number(e.dataset.value), a: r.width * r.height }
    }),
  )
  const byValue = [...tiles].sort((a, b) => b.v - a.v)
  const areaRatio = byValue[0].a / byValue[0].v / (byValue[29].a / byValue[29].v)
  check(
    'overview: a VN30 heatmap tile per stock, area by traded value',
    tiles.every((x) => x.v > 0) && byValue[0].a > byValue[29].a && Math.abs(areaRatio - 1) < 0.02,
    `${byValue[0].s} ${byValue[0].v} > ${byValue[29].s} ${byValue[29].v}, area/value ratio ${areaRatio.toFixed(4)}`,
  )
  const colours = async () =>
    page.$$eval('[data-testid=heatmap] [data-tile]', (els) => els.map((e) => e.style.background).join())
  const byChange = await colours()
  await page.click('[data-testid=heat-foreign]')
  await until(
    async () => (await page.getAttribute('[data-testid=heatmap]', 'data-mode')) === 'foreign',
    5000,
    'foreign colours',
  )
  check(
    'overview: the heatmap switches to foreign net value',
    (await colours()) !== byChange && /tỷ|triệu/.test(await page.textContent('[data-testid=heatmap]')),
  )
  await page.click('[data-testid=heat-change]')
  await until(
    () => page.$$eval('[data-testid=contrib-table] tbody tr', (r) => r.length === 30),
    20000,
    '30 contributions',
  )
  await page.waitForSelector('[data-testid=contributions][data-ready=true]', { timeout: 20000 })
  // The page's own figures (one poll): the rows, their sum, the VN30 change and the residual; then the API's.
  const shown = await page.evaluate(() => {
    const num = (sel) => Number(document.querySelector(sel)?.getAttribute('data-value'))
    const rows = [...document.querySelectorAll('[data-testid=contrib-table] tbody tr')].map((x) =>
      Number(x.getAttribute('data-points')),
    )
    return {
      rows,
      sum: num('[data-testid=contrib-sum]'),
      change: num('[data-testid=contrib-change]'),
      residual: num('[data-testid=contrib-residual]'),
      text: document.querySelector('[data-testid=contrib-sum]')?.textContent ?? '',
    }
  })
  const shownSum = shown.rows.reduce((a, b) => a + b, 0)
  // Live, the prices move after each index frame (one every 5 s of exchange time): the residual is tight only at
  // the instant of a frame, when the prices are the ones the index was computed from (README "Market overview").
  const atFrame = await until(
    async () => {
      const c = (await (await fetch(BASE + '/api/market/overview')).json()).contributions
      return c.ready && c.prices_time === c.index_time ? c : null
    },
    30000,
    'an overview at the instant of a VN30 frame',
  )
  const ov = await (await fetch(BASE + '/api/market/overview')).json()
  check(
    "overview: each stock's contribution in VN30 points shown, summing to the index change",
    shown.rows.every(Number.isFinite) &&
      shown.rows.some((p) => p !== 0) &&
      /[+-]?\d+\.\d\d điểm/.test(shown.text) &&
      Math.abs(shownSum - shown.sum) < 2e-3 &&
      Math.abs(shown.sum + shown.residual - shown.change) < 2e-3 &&
      Math.abs(atFrame.residual) <= 0.0051 &&
      Math.abs(atFrame.sum_points + atFrame.residual - atFrame.index_change) < 1e-3 &&
      ov.contributions.ready &&
      Math.abs(ov.contributions.residual) <= 0.01 * ov.vn30.prior_value,
    `page: rows sum ${shownSum.toFixed(4)}, shown ${shown.text.trim()}, VN30 change ${shown.change}, residual ${shown.residual}; ` +
      `at the ${atFrame.index_time} frame: change ${atFrame.index_change}, sum ${atFrame.sum_points}, residual ${atFrame.residual}`,
  )
  check(
    'overview: the VN30 rebuilt from the latest prices shown',
    /\d,\d{3}\.\d\d/.test(await page.textContent('[data-testid=contrib-rebuilt]')),
  )
  const breadth = await page.$eval('[data-testid=breadth-vnindex]', (e) =>
    [e.dataset.advances, e.dataset.declines, e.dataset.unchanged].map(Number),
  )
  check(
    'overview: VNINDEX breadth of the whole HOSE (not the 30 of the basket)',
    breadth[0] + breadth[1] + breadth[2] > 30 &&
      breadth[0] + breadth[1] + breadth[2] ===
        ov.breadth.vnindex.advances + ov.breadth.vnindex.declines + ov.breadth.vnindex.no_changes,
    breadth.join('/'),
  )
  await until(
    async () => Number(await page.getAttribute('[data-testid=pt-index-vnindex]', 'data-value')) > 0,
    30000,
    'put-through value',
  )
  const ptText = await page.textContent('[data-testid=put-through]')
  check(
    'overview: put-through panel with the index put-through from the feed (tỷ/triệu)',
    /\d tỷ|\d triệu/.test(ptText),
    ptText.replace(/\s+/g, ' ').slice(0, 140),
  )
  await shot('overview')

  // ---- a rule made in the Vietnamese UI, price in thousands, arrives as a toast on another page ----
  await nav('signals', '[data-testid=signals-page]')
  check('UI in Vietnamese', (await page.textContent('a[data-nav=signals]')) === 'Tín hiệu')
  const form = (sel) => `[data-testid=rule-form] ${sel}`
  // An unknown symbol: the server's 400 names the field, the UI says it next to that field, in Vietnamese.
  await page.fill(form('input[name=symbol]'), 'XYZ')
  await page.fill(form('input[name=threshold]'), '1')
  await page.click('[data-testid=rule-create]')
  await page.waitForSelector('[data-testid=error-symbol]', { timeout: 10000 })
  const symErr = await page.textContent('[data-testid=error-symbol]')
  check('unknown symbol refused next to its field, in Vietnamese', /^Mã không tồn tại/.test(symErr), symErr)
  // FPT's price now (VND) -> a level 10 % below it, typed in thousands with a decimal comma as on the board.
  const fptNow = (await (await fetch(`${BASE}/api/market/symbol/FPT`)).json()).last_price
  const level = Math.floor((fptNow * 0.9) / 100) / 10 // thousands, one decimal: 94.9
  const typed = String(level).replace('.', ',')
  await page.fill(form('input[name=name]'), 'e2e FPT giá')
  await page.fill(form('input[name=symbol]'), 'FPT')
  await page.selectOption(form('select[name=metric]'), 'last_price')
  await page.selectOption(form('select[name=comparison]'), '>=')
  await page.fill(form('input[name=threshold]'), typed)
  await page.fill(form('input[name=cooldown_sec]'), '0')
  await page.selectOption(form('select[name=severity]'), 'critical')
  const unit = await page.textContent('[data-testid=threshold-unit]')
  const current = await until(
    async () => {
      const t = await page.textContent('[data-testid=rule-current]')
      return /^Hiện tại: \d{1,3}(,\d{1,2})?$/.test(t) && t
    },
    10000,
    'the current price in thousands',
  )
  check('rule editor: price in thousand VND, current value shown', unit === 'nghìn VND', `${unit}; ${current}`)
  await page.click('[data-testid=rule-create]')
  await until(async () => (await page.textContent('[data-testid=rules]')).includes('e2e FPT giá'), 10000, 'rule listed')
  const [made] = await (await fetch(`${BASE}/api/alerts/rules`)).json()
  check(
    'the threshold typed in thousands reaches the API in VND',
    made?.threshold === Math.round(level * 1000),
    `${typed} -> ${made?.threshold}`,
  )
  // Only critical alerts pop up from here on: the rule's, not the built-in warnings.
  await page.click('[data-testid=alert-settings]')
  await page.selectOption('[data-testid=toast-min-severity]', 'critical')
  const toastIds = () => page.$$eval('[data-testid=toast]', (ts) => ts.map((t) => Number(t.dataset.alertId)))
  const seen = Math.max(0, ...(await toastIds()))
  await nav('board', '[data-testid=board] tbody tr[data-symbol]')
  const tt = Date.now()
  const sentence = await until(
    () =>
      page.$$eval(
        '[data-testid=toast]',
        (ts, after) =>
          ts
            .find((t) => Number(t.dataset.alertId) > after && t.textContent.includes('e2e FPT giá'))
            ?.querySelector('[data-testid=toast-text]').textContent,
        seen,
      ),
    30000,
    "the rule's toast on the board",
  )
  const re = new RegExp(`^e2e FPT giá: FPT giá khớp \\d{1,3}(,\\d{1,2})? ≥ ${typed}$`)
  check(
    'a Vietnamese sentence with formatted numbers arrives as a toast on another page',
    re.test(sentence),
    `${sentence} (${Date.now() - tt} ms)`,
  )
  await shot('toast-board')
  // Toasts off (they would cover the rules table), the ones shown dismissed.
  await page.click('[data-testid=alert-settings]')
  await page.selectOption('[data-testid=toast-min-severity]', 'off')
  await page.click('[data-testid=alert-settings]')
  while (await page.$('[data-testid=toast] button')) await page.click('[data-testid=toast] button').catch(() => {})

  await nav('signals', '[data-testid=signals-page]')
  await until(
    async () => (await page.textContent('[data-testid=alert-feed]')).includes('e2e FPT giá: FPT giá khớp'),
    10000,
    'the rule in the feed',
  )
  check('the feed shows the rule alert in Vietnamese', true)
  // The rule fires on every FPT trade: once there is more than a page (100) of them, the filtered feed pages
  // back with before_id.
  const fullPage = await until(
    async () => (await (await fetch(`${BASE}/api/market/alerts?type=user_rule&limit=101`)).json()).length > 100,
    60000,
    'more than 100 rule alerts',
  ).catch(() => false)
  await page.selectOption('[data-testid=filter-type]', 'user_rule')
  await until(
    () =>
      page.$$eval(
        '[data-testid=alert-feed] tbody tr',
        (r) => r.length > 0 && r.every((x) => x.dataset.alertType === 'user_rule'),
      ),
    10000,
    'the feed filtered by type',
  )
  check('alert feed filter by type (server side)', true)
  const older = fullPage
    ? await until(() => page.$('[data-testid=alerts-older]'), 10000, 'the older button').catch(() => null)
    : null
  if (older) {
    const rowIds = () =>
      page.$$eval('[data-testid=alert-feed] tbody tr', (r) => r.map((x) => Number(x.dataset.alertId)))
    const before = await rowIds()
    await older.click()
    await until(async () => (await rowIds()).length > before.length, 10000, 'the older page')
    const after = await rowIds()
    check(
      'the feed pages back through today with before_id',
      Math.min(...after) < Math.min(...before) && new Set(after).size === after.length,
      `${before.length} -> ${after.length} rows, oldest #${Math.min(...before)} -> #${Math.min(...after)}`,
    )
  } else {
    check(
      'the feed pages back through today with before_id',
      false,
      fullPage ? 'no older button' : 'never more than 100 rule alerts',
    )
  }
  await shot('signals')
  await page.selectOption('[data-testid=filter-type]', '')

  // Edited through the UI (PUT): the form shows the threshold in thousands again.
  const rid = made.id
  await page.click(`[data-rule-id="${rid}"] [data-testid=rule-edit]`)
  const shownAgain = await page.inputValue(form('input[name=threshold]'))
  await page.fill(form('input[name=threshold]'), '1000,5')
  await page.selectOption(form('select[name=comparison]'), 'crosses_above')
  await page.click('[data-testid=rule-create]')
  await until(
    async () => {
      const [r] = await (await fetch(`${BASE}/api/alerts/rules`)).json()
      return r.threshold === 1000500 && r.comparison === 'crosses_above'
    },
    5000,
    'rule edited',
  )
  check('rule edited through the UI', shownAgain === typed, `form showed ${shownAgain}`)
  await page.click(`[data-rule-id="${rid}"] [data-testid=rule-enabled]`)
  await until(
    async () => {
      const rules = await (await fetch(`${BASE}/api/alerts/rules`)).json()
      return rules.length === 1 && rules[0].enabled === false
    },
    5000,
    'rule disabled',
  )
  await page.click(`[data-rule-id="${rid}"] [data-testid=rule-delete]`)
  await until(async () => (await (await fetch(`${BASE}/api/alerts/rules`)).json()).length === 0, 5000, 'rule deleted')
  check('rule disable and delete through the UI', true)

  // ---- CSV exports of the board, foreign flow, volume analysis and alerts, as their buttons ask them ----
  exports.alerts = await page.getAttribute('[data-testid=export-alerts]', 'href')
  for (const [what, min] of [
    ['board', 30],
    ['foreign', 25],
    ['volume', 30],
    ['alerts', 1],
  ]) {
    const href = exports[what]
    const c = await fetchCsv(href)
    const n = c.rows.slice(1).filter((r) => r.length > 1).length
    check(
      `CSV export: ${what}`,
      /[?&]format=csv/.test(href) &&
        c.status === 200 &&
        /^text\/csv; ?charset=utf-8$/i.test(c.type) &&
        /attachment; filename="vnt-[\w-]+\.csv"/.test(c.disposition) &&
        c.bom &&
        n >= min,
      `${href} -> ${c.status} ${c.type}, ${c.disposition}, ${n} rows, header ${(c.rows[0] ?? []).slice(0, 6).join(',')}`,
    )
  }

  // ---- every page at 1600x1000, 1366x768 and 390x844, in Vietnamese and English ----
  const go = (path) =>
    page.evaluate((p) => {
      history.pushState(null, '', p)
      dispatchEvent(new PopStateEvent('popstate'))
    }, path)
  const ready = {
    '/': '[data-testid=board] tbody tr[data-symbol], [data-card]',
    '/charts': '[data-testid=chart-count][data-bars]:not([data-bars="-1"])',
    '/overview': '[data-testid=heatmap] [data-tile]',
    '/foreign': '[data-testid=foreign-table] tbody tr',
    '/volume': '[data-testid=volume-table] tbody tr',
    '/derivatives': '[data-testid=futures-table] tbody tr',
    '/signals': '[data-testid=rule-form]',
    '/symbol/FPT': '[data-testid=trades] tbody tr',
    '/symbol/VN30F1M': '[data-testid=orderbook][data-levels="10"]',
    '/symbol/VNINDEX': '[data-testid=chart-count][data-bars]:not([data-bars="-1"])',
  }
  const SIZES = [
    [1600, 1000],
    [1366, 768],
    [390, 844],
  ]
  const sweep = { pages: 0, overflow: [], leaks: [], notReady: [] }
  const tsw = Date.now()
  const setLangTo = async (l) => {
    if ((await page.evaluate(() => document.documentElement.lang)) === l) return
    if (await page.isVisible('header [data-testid=lang]')) await page.click('header [data-testid=lang]')
    else {
      await page.click('[data-testid=menu]')
      await page.click('[data-testid=menu-panel] [data-testid=lang]')
      await page.click('[data-testid=menu]')
    }
    await until(async () => (await page.evaluate(() => document.documentElement.lang)) === l, 5000, `language ${l}`)
  }
  for (const lang of ['vi', 'en']) {
    await setLangTo(lang)
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h })
      for (const [path, sel] of Object.entries(ready)) {
        await go(path)
        const ok = await page.waitForSelector(sel, { timeout: 15000 }).then(
          () => true,
          () => false,
        )
        if (!ok) sweep.notReady.push(`${path}@${w}/${lang}`)
        await sleep(250)
        sweep.pages++
        const name = `${path === '/' ? 'board' : path.slice(1).replace(/\//g, '-')}-${w}-${lang}`
        if (w < 1600) {
          const o = await page.evaluate(() => [
            document.documentElement.scrollWidth,
            document.body.scrollWidth,
            innerWidth,
          ])
          if (Math.max(o[0], o[1]) > o[2]) sweep.overflow.push(`${name}: ${Math.max(o[0], o[1])} > ${o[2]}`)
        }
        if (lang === 'vi') {
          const words = leaksOf(await pageWords(page))
          if (words.length) sweep.leaks.push(`${name}: ${words.join(' ')}`)
        }
        if (path === '/' && w === 1366) {
          const fit = await page.evaluate(() => {
            const wrap = document.querySelector('[data-testid=board-wrap]')
            const th = getComputedStyle(document.querySelector('[data-testid=board] thead')).position
            const sym = getComputedStyle(document.querySelector('[data-testid=board] tbody td:nth-child(2)')).position
            // the narrowest the table can get (its min-content width): the slack left at this size
            const table = document.querySelector('[data-testid=board]')
            table.style.width = '1px'
            const min = table.offsetWidth
            table.style.width = ''
            return {
              sw: wrap.scrollWidth,
              cw: wrap.clientWidth,
              sh: wrap.scrollHeight,
              ch: wrap.clientHeight,
              th,
              sym,
              min,
            }
          })
          check(
            `board at 1366x768 (${lang}): every column and all 30 rows visible, header and symbol column sticky`,
            fit.sw <= fit.cw && fit.sh <= fit.ch + 1 && fit.th === 'sticky' && fit.sym === 'sticky',
            JSON.stringify(fit),
          )
        }
        if (path === '/' && w === 1600) {
          const clip = await page.evaluate(() => {
            const wrap = document.querySelector('[data-testid=board-wrap]').getBoundingClientRect()
            const trend = document.querySelector('[data-testid=board] thead tr th:last-child').getBoundingClientRect()
            return [trend.right, wrap.right]
          })
          check(
            `board at 1600 px (${lang}): the trend column is not clipped`,
            clip[0] <= clip[1] + 0.5,
            `${clip[0].toFixed(1)} <= ${clip[1].toFixed(1)}`,
          )
        }
        if (path === '/' && w === 390 && lang === 'vi') {
          const cards = await page.$$eval('[data-card]', (c) => c.length)
          const cardVal = await page.$eval('[data-card=FPT]', (c) => [
            c.querySelector('[data-testid=card-value]')?.textContent,
            c.querySelector('[data-testid=card-avg]')?.textContent,
          ])
          check(
            'phone: each card shows the traded value (tỷ) and the average price',
            /^\d[\d,.]* (tỷ|triệu)$/.test(cardVal[0] ?? '') && /^\d+\.\d\d$/.test(cardVal[1] ?? ''),
            cardVal.join(' · '),
          )
          await page.click('[data-testid=menu]')
          const links = await page.$$eval(
            '[data-testid=menu-panel] a[data-nav]',
            (a) => a.filter((x) => x.offsetParent !== null).length,
          )
          const conn = await page.isVisible('[data-testid=connection-short]')
          await shot(`menu-390-${lang}`)
          await page.click('[data-testid=menu-panel] a[data-nav=foreign]')
          await page.waitForSelector('[data-testid=foreign-page]')
          check(
            'phone: a card per symbol, a menu with the pages, connection state shown',
            cards === 30 && links === 7 && conn,
            `${cards} cards, ${links} links`,
          )
          await go('/')
          await page.waitForSelector('[data-card]')
        }
        await page.screenshot({ path: join(OUT, `${name}.png`) })
      }
    }
  }
  results.timings.layout_sweep_ms = Date.now() - tsw
  check(
    `every page loads at 3 sizes x 2 languages (${sweep.pages} pages)`,
    sweep.notReady.length === 0,
    sweep.notReady.join(', '),
  )
  check('no horizontal overflow at 1366x768 and 390x844', sweep.overflow.length === 0, sweep.overflow.join('; '))
  check(`no English in the Vietnamese pages (${LEAKS.length} words)`, sweep.leaks.length === 0, sweep.leaks.join('; '))

  // ---- the light theme ----
  await page.setViewportSize({ width: 1366, height: 768 })
  await setLangTo('vi')
  await go('/')
  await page.waitForSelector('[data-testid=board] tbody tr[data-symbol]')
  await page.click('[data-testid=theme]')
  const bg = await page.evaluate(() => [
    document.documentElement.dataset.theme,
    getComputedStyle(document.body).backgroundColor,
  ])
  await shot('board-1366-light')
  await go('/symbol/FPT')
  await page.waitForSelector('[data-testid=trades] tbody tr')
  await sleep(300)
  await page.screenshot({ path: join(OUT, 'symbol-FPT-1366-light.png') })
  check('light theme beside the dark one', bg[0] === 'light' && bg[1] === 'rgb(248, 250, 252)', bg.join(' '))
  await page.click('[data-testid=theme]')
  await page.setViewportSize({ width: 1680, height: 1000 })
  await go('/')
  await page.waitForSelector('[data-testid=board] tbody tr[data-symbol]')

  // ---- pre-open: a second server in the ATO auction ----
  const ATO_PORT = await freePort()
  const ATO_BASE = `http://127.0.0.1:${ATO_PORT}`
  atoServer = spawn(
    BIN,
    ['serve', '--port', String(ATO_PORT), '--db', 'none', '--speed', '1', '--sim-start', '09:05:00', '--web', DIST],
    { stdio: 'ignore' },
  )
  await until(async () => (await fetch(`${ATO_BASE}/health`)).ok, 30000, 'the ATO server')
  const atoPage = await ctx.newPage()
  await atoPage.setViewportSize({ width: 1366, height: 768 })
  await atoPage.goto(ATO_BASE + '/')
  await atoPage.waitForFunction(
    () => document.querySelectorAll('[data-testid=board] tbody tr[data-symbol]').length === 30,
    null,
    { timeout: 20000 },
  )
  await sleep(1500)
  const atoApi = await (await fetch(`${ATO_BASE}/api/market/snapshot`)).json()
  const atoRows = await atoPage.$$eval('[data-testid=board] tbody tr[data-symbol]', (r) =>
    r.map((x) => ({
      sym: x.dataset.symbol,
      ref: x.children[2].textContent,
      last: x.children[11].textContent,
      lastCls: x.children[11].className,
    })),
  )
  await atoPage.screenshot({ path: join(OUT, 'board-ato-1366-vi.png') })
  const withRef = Object.values(atoApi.symbols).filter((s) => s.ref_price)
  const withInd = Object.values(atoApi.symbols).filter((s) => s.indicative_price)
  const fmtK = (v) => (v / 1000).toFixed(2)
  if (atoApi.session !== 'ATO')
    check('pre-open board (ATO)', false, `the second server is in session ${atoApi.session}`)
  else if (withRef.length === 0)
    console.log(
      'NOTE pre-open: the server sends no reference price before the first trade; the board shows what it gets',
    )
  else
    check(
      'pre-open (ATO): reference shown before the first trade',
      withRef.every((s) => atoRows.find((r) => r.sym === s.symbol)?.ref === fmtK(s.ref_price)),
      `${withRef.length} symbols with a reference`,
    )
  if (atoApi.session === 'ATO' && withInd.length > 0)
    check(
      'pre-open (ATO): the indicative price in the last-price cell, italic',
      withInd.every((s) => {
        const r = atoRows.find((x) => x.sym === s.symbol)
        return !s.ref_price || (r?.lastCls.includes('indicative') && r.last === fmtK(s.indicative_price))
      }),
      `${withInd.length} indicative prices`,
    )
  else if (atoApi.session === 'ATO') console.log('NOTE pre-open: the server sends no indicative price yet')
  // no store (--db none): the multi-day views say so instead of staying empty
  const noStore = []
  for (const [path, sel] of [
    ['/symbol/FPT', 'foreign-history'],
    ['/symbol/VN30F1M', 'basis-history'],
  ]) {
    await atoPage.goto(ATO_BASE + path)
    const st = await atoPage
      .waitForSelector(`[data-testid=${sel}][data-status=unavailable] [data-testid=history-message]`, {
        timeout: 15000,
      })
      .then(
        (e) => e.textContent(),
        () => null,
      )
    noStore.push(`${path}: ${st}`)
  }
  check(
    'without a store (--db none) the multi-day views say there is no history',
    noStore.every((x) => /--db none/.test(x)),
    noStore.join(' | '),
  )
  await atoPage.close()
  atoServer.kill('SIGKILL')
  atoServer = null

  // ---- language ----
  await page.click('[data-testid=lang]')
  check('English labels', (await page.textContent('a[data-nav=board]')) === 'Price board')
  await page.click('a[data-nav=board]')
  await page.waitForSelector('[data-testid=board] tbody tr[data-symbol]')
  await shot('board-en')

  // ---- server killed (SIGKILL) and restarted on the same port ----
  const timeBefore = await page.textContent('[data-testid=exchange-time]')
  server.kill('SIGKILL')
  await until(
    async () => (await page.getAttribute('[data-testid=connection]', 'data-state')) === 'reconnecting',
    10000,
    'reconnecting state',
  )
  check('connection state shows reconnecting', true)
  const banner = await until(() => page.textContent('[data-testid=conn-banner]').catch(() => null), 5000, 'the banner')
  const dimmed = await page.getAttribute('[data-testid=board-wrap]', 'data-dim')
  check(
    'while reconnecting: the board dimmed under a banner saying since when',
    dimmed === '' && /since \d\d:\d\d:\d\d/.test(banner),
    banner.trim().slice(0, 120),
  )
  await shot('reconnecting')
  const tk = Date.now()
  await startServer()
  await until(
    async () => (await page.getAttribute('[data-testid=connection]', 'data-state')) === 'live',
    30000,
    'live again',
  )
  const afterText = await boardText()
  await until(async () => (await boardText()) !== afterText, 20000, 'data flowing after the restart')
  const timeAfter = await page.textContent('[data-testid=exchange-time]')
  check(
    'reconnects after kill -9 and restart; data flows again',
    timeAfter !== timeBefore,
    `${timeBefore.trim()} -> ${timeAfter.trim()}, ${Date.now() - tk} ms`,
  )
  check(
    'live again: banner gone, board bright',
    !(await page.$('[data-testid=conn-banner]')) &&
      (await page.getAttribute('[data-testid=board-wrap]', 'data-dim')) === null,
  )
  await shot('after-restart')

  check('no page errors', errors.length === 0, errors.slice(0, 3).join(' | '))
} catch (e) {
  check('e2e run', false, String(e?.stack ?? e))
} finally {
  results.timings.total_ms = Date.now() - t0
  await ctx?.close().catch(() => {})
  server?.kill('SIGKILL')
  atoServer?.kill('SIGKILL')
  rmSync(TMP, { recursive: true, force: true })
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2))
  const passed = results.checks.filter((c) => c.ok).length
  console.log(`render per board update: ${JSON.stringify(results.render)}`)
  console.log(`artefacts: ${OUT}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}
