// End-to-end test of the web app in Debian's Chromium against the real `vntracker serve` with the simulator.
// Usage: node e2e/run.mjs <path/to/vntracker> [--dist web/dist] [--out artifacts-dir]
// Starts the server on a free port with a throwaway SQLite store, checks every page with live data, the
// board's updates and render time, navigation, a user rule made in the Vietnamese UI (price in thousands of
// VND) arriving as a toast on another page and in the Signals feed (filtered, paged), and reconnection after
// the server is killed (SIGKILL) and restarted on the same port. Screenshots and a results.json go to the
// artefacts directory. Exit status 0 only when every check passed.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
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
    ['serve', '--port', String(PORT), '--db', `sqlite:${join(TMP, 'e2e.db')}`, '--speed', '20', '--sim-start', '09:14:30', '--web', DIST],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  server.stderr.on('data', () => {})
  return until(async () => (await fetch(`${BASE}/health`)).ok, 30000, 'server /health')
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
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=board] tbody tr[data-symbol]').length === 30, null, { timeout: 30000 })
  results.timings.board_first_rows_ms = Date.now() - tb
  check('board shows the 30 VN30 stocks', true)
  const vn30 = await page.textContent('[data-index=VN30]')
  check('index VN30 with value and breadth', /\d,\d{3}\.\d\d/.test(vn30) && /▲\s*\d+/.test(vn30), vn30.replace(/\s+/g, ' ').slice(0, 80))
  check('index VNINDEX shown', /\d,\d{3}\.\d\d/.test(await page.textContent('[data-index=VNINDEX]')))
  await page.evaluate(() => {
    window.__measures = []
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__measures.push({ d: e.duration, rows: e.detail?.rows ?? 0, apply: e.detail?.apply ?? 0 })
    }).observe({ type: 'measure' })
  })
  const boardText = () => page.textContent('[data-testid=board] tbody')
  const before = await boardText()
  await until(async () => (await boardText()) !== before, 15000, 'board values to change')
  check('board updates live (values change)', true)
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
  check('sort by % change (descending)', pcts.every((v, i) => i === 0 || pcts[i - 1] >= v), pcts.slice(0, 6).join(' '))
  await page.click('th[data-sort=symbol]')
  await page.click('th[data-sort=symbol]')
  const desc = await page.$$eval('[data-testid=board] tbody tr[data-symbol]', (r) => r.map((x) => x.dataset.symbol))
  check('sort by symbol (descending)', desc.join() === [...desc].sort().reverse().join() && desc.length === 30)
  await page.click('th[data-sort=symbol]')
  // watchlist
  await page.click('button[aria-label="watch FPT"]')
  await page.click('button[aria-label="watch VNM"]')
  await page.check('[data-testid=watch-only]')
  const watched = await page.$$eval('[data-testid=board] tbody tr[data-symbol]', (r) => r.map((x) => x.dataset.symbol))
  check('watchlist filter', watched.join(',') === 'FPT,VNM', watched.join(','))
  await page.uncheck('[data-testid=watch-only]')
  await shot('board')

  // ---- navigation and pages ----
  const nav = async (key, testid) => {
    await page.click(`a[data-nav=${key}]`)
    await page.waitForSelector(testid, { timeout: 20000 })
  }
  await nav('charts', '[data-testid=chart]')
  await until(async () => /\d+ × 1m/.test(await page.textContent('[data-testid=chart-count]')), 20000, 'VN30 candles')
  check('charts: VN30 candles', (await page.$$('[data-testid=chart] canvas')).length > 0, await page.textContent('[data-testid=chart-count]'))
  await shot('charts-vn30')
  for (const sym of ['ACB', 'VN30F1M']) {
    await page.selectOption('[data-testid=chart-symbol]', sym)
    await until(async () => /[1-9]\d* × 1m/.test(await page.textContent('[data-testid=chart-count]')), 20000, `${sym} candles`)
    const last1 = await page.textContent('[data-testid=chart-last]')
    check(`charts: ${sym} candles with live last minute`, /C\s*[\d,.]+/.test(last1), last1.slice(0, 70))
    await shot(`charts-${sym}`)
  }

  await nav('foreign', '[data-testid=foreign-page]')
  await until(() => page.$$eval('[data-testid=foreign-table] tbody tr', (r) => r.length >= 25), 20000, 'foreign rows')
  await until(() => page.$('.recharts-area-area'), 20000, 'cumulative net flow chart')
  check('foreign flow: per-symbol table and cumulative chart', true)
  await shot('foreign')

  await nav('volume', '[data-testid=volume-page]')
  await until(() => page.$$eval('[data-testid=volume-table] tbody tr', (r) => r.length === 30), 20000, 'volume rows')
  await until(() => page.$$eval('.recharts-bar-rectangle', (r) => r.length > 30), 20000, 'volume bars')
  await page.selectOption('[data-testid=volume-symbol]', 'FPT')
  await until(() => page.$$eval('.recharts-bar-rectangle', (r) => r.length > 60), 20000, 'volume at price')
  check('volume analysis: table, ratio over time, volume at price', true)
  await shot('volume')

  await nav('derivatives', '[data-testid=derivatives-page]')
  await until(() => page.$$eval('[data-testid=futures-table] tbody tr', (r) => r.length === 4), 20000, '4 contracts')
  await until(() => page.$$eval('.recharts-line-curve', (r) => r.length >= 4), 20000, 'basis lines')
  const fut = await page.textContent('[data-testid=futures-table]')
  check('derivatives: four contracts with basis', ['VN30F1M', 'VN30F2M', 'VN30F1Q', 'VN30F2Q'].every((a) => fut.includes(a)))
  await shot('derivatives')

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
  const current = await until(async () => {
    const t = await page.textContent('[data-testid=rule-current]')
    return /^Hiện tại: \d{1,3}(,\d{1,2})?$/.test(t) && t
  }, 10000, 'the current price in thousands')
  check('rule editor: price in thousand VND, current value shown', unit === 'nghìn VND', `${unit}; ${current}`)
  await page.click('[data-testid=rule-create]')
  await until(async () => (await page.textContent('[data-testid=rules]')).includes('e2e FPT giá'), 10000, 'rule listed')
  const [made] = await (await fetch(`${BASE}/api/alerts/rules`)).json()
  check('the threshold typed in thousands reaches the API in VND', made?.threshold === Math.round(level * 1000), `${typed} -> ${made?.threshold}`)
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
        (ts, after) => ts.find((t) => Number(t.dataset.alertId) > after && t.textContent.includes('e2e FPT giá'))?.querySelector('[data-testid=toast-text]').textContent,
        seen,
      ),
    30000,
    "the rule's toast on the board",
  )
  const re = new RegExp(`^e2e FPT giá: FPT giá khớp \\d{1,3}(,\\d{1,2})? ≥ ${typed}$`)
  check('a Vietnamese sentence with formatted numbers arrives as a toast on another page', re.test(sentence), `${sentence} (${Date.now() - tt} ms)`)
  await shot('toast-board')
  // Toasts off (they would cover the rules table), the ones shown dismissed.
  await page.click('[data-testid=alert-settings]')
  await page.selectOption('[data-testid=toast-min-severity]', 'off')
  await page.click('[data-testid=alert-settings]')
  while (await page.$('[data-testid=toast] button')) await page.click('[data-testid=toast] button').catch(() => {})

  await nav('signals', '[data-testid=signals-page]')
  await until(async () => (await page.textContent('[data-testid=alert-feed]')).includes('e2e FPT giá: FPT giá khớp'), 10000, 'the rule in the feed')
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
    () => page.$$eval('[data-testid=alert-feed] tbody tr', (r) => r.length > 0 && r.every((x) => x.dataset.alertType === 'user_rule')),
    10000,
    'the feed filtered by type',
  )
  check('alert feed filter by type (server side)', true)
  const older = fullPage ? await until(() => page.$('[data-testid=alerts-older]'), 10000, 'the older button').catch(() => null) : null
  if (older) {
    const rowIds = () => page.$$eval('[data-testid=alert-feed] tbody tr', (r) => r.map((x) => Number(x.dataset.alertId)))
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
    check('the feed pages back through today with before_id', false, fullPage ? 'no older button' : 'never more than 100 rule alerts')
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
  await until(async () => {
    const [r] = await (await fetch(`${BASE}/api/alerts/rules`)).json()
    return r.threshold === 1000500 && r.comparison === 'crosses_above'
  }, 5000, 'rule edited')
  check('rule edited through the UI', shownAgain === typed, `form showed ${shownAgain}`)
  await page.click(`[data-rule-id="${rid}"] [data-testid=rule-enabled]`)
  await until(async () => {
    const rules = await (await fetch(`${BASE}/api/alerts/rules`)).json()
    return rules.length === 1 && rules[0].enabled === false
  }, 5000, 'rule disabled')
  await page.click(`[data-rule-id="${rid}"] [data-testid=rule-delete]`)
  await until(async () => (await (await fetch(`${BASE}/api/alerts/rules`)).json()).length === 0, 5000, 'rule deleted')
  check('rule disable and delete through the UI', true)

  // ---- language ----
  await page.click('[data-testid=lang]')
  check('English labels', (await page.textContent('a[data-nav=board]')) === 'Price board')
  await page.click('a[data-nav=board]')
  await page.waitForSelector('[data-testid=board] tbody tr[data-symbol]')
  await shot('board-en')

  // ---- server killed (SIGKILL) and restarted on the same port ----
  const timeBefore = await page.textContent('[data-testid=exchange-time]')
  server.kill('SIGKILL')
  await until(async () => (await page.getAttribute('[data-testid=connection]', 'data-state')) === 'reconnecting', 10000, 'reconnecting state')
  check('connection state shows reconnecting', true)
  await shot('reconnecting')
  const tk = Date.now()
  await startServer()
  await until(async () => (await page.getAttribute('[data-testid=connection]', 'data-state')) === 'live', 30000, 'live again')
  const afterText = await boardText()
  await until(async () => (await boardText()) !== afterText, 20000, 'data flowing after the restart')
  const timeAfter = await page.textContent('[data-testid=exchange-time]')
  check('reconnects after kill -9 and restart; data flows again', timeAfter !== timeBefore, `${timeBefore.trim()} -> ${timeAfter.trim()}, ${Date.now() - tk} ms`)
  await shot('after-restart')

  check('no page errors', errors.length === 0, errors.slice(0, 3).join(' | '))
} catch (e) {
  check('e2e run', false, String(e?.stack ?? e))
} finally {
  results.timings.total_ms = Date.now() - t0
  await ctx?.close().catch(() => {})
  server?.kill('SIGKILL')
  rmSync(TMP, { recursive: true, force: true })
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2))
  const passed = results.checks.filter((c) => c.ok).length
  console.log(`render per board update: ${JSON.stringify(results.render)}`)
  console.log(`artefacts: ${OUT}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}
