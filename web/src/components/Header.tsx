import { useEffect, useState } from 'react'
import { link, marketSilenceSec, meta } from '../lib/market'
import { lang, sessionNames, setLang, useT, type Key } from '../lib/i18n'
import { navigate, useRoute } from '../lib/router'
import { useValue } from '../lib/store'
import { AlertSettingsMenu } from '../features/alerts/AlertToasts'

export const PAGES: { path: string; key: Key }[] = [
  { path: '/', key: 'board' },
  { path: '/charts', key: 'charts' },
  { path: '/foreign', key: 'foreign' },
  { path: '/volume', key: 'volume' },
  { path: '/derivatives', key: 'derivatives' },
  { path: '/signals', key: 'signals' },
]

const TRADING = new Set(['ATO', 'LO', 'ATC'])

// live / reconnecting / stale: stale when the market channel has been silent for 10 s in a trading session.
function useConnection(): 'live' | 'reconnecting' | 'connecting' | 'stale' {
  const l = useValue(link)
  const m = useValue(meta)
  const [, tick] = useState(0)
  useEffect(() => {
    const id = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [])
  if (l !== 'live') return l
  if (m.session && TRADING.has(m.session) && marketSilenceSec() > 10) return 'stale'
  return 'live'
}

export function Header() {
  const t = useT()
  const l = useValue(lang)
  const path = useRoute()
  const m = useValue(meta)
  const conn = useConnection()
  const dot =
    conn === 'live' ? 'bg-up' : conn === 'stale' ? 'bg-ref' : conn === 'reconnecting' ? 'bg-down animate-pulse' : 'bg-slate-500'
  const session = m.session ? (sessionNames[m.session]?.[l === 'vi' ? 0 : 1] ?? m.session) : '–'
  return (
    <header className="flex items-center gap-4 px-3 h-10 border-b border-line bg-panel text-[13px]">
      <span className="font-semibold text-slate-100 tracking-tight">
        VN<span className="text-up">30</span> Tracker
      </span>
      <nav className="flex gap-1">
        {PAGES.map((p) => (
          <a
            key={p.path}
            href={p.path}
            data-nav={p.key}
            onClick={(e) => {
              e.preventDefault()
              navigate(p.path)
            }}
            className={
              'px-2.5 py-1 rounded ' +
              (path === p.path ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-slate-100 hover:bg-slate-800')
            }
          >
            {t(p.key)}
          </a>
        ))}
      </nav>
      <div className="ml-auto flex items-center gap-4">
        <span data-testid="session" className="text-slate-300">
          {t('session')}: <b className="text-slate-100">{session}</b>
        </span>
        <span data-testid="exchange-time" className="num text-slate-100" title={m.trading_date ?? ''}>
          {m.trading_date ?? ''} {m.exchange_time ?? '--:--:--'}
        </span>
        <span data-testid="connection" data-state={conn} className="flex items-center gap-1.5">
          <span className={`inline-block w-2 h-2 rounded-full ${dot}`} />
          {t(conn)}
        </span>
        <AlertSettingsMenu />
        <button
          data-testid="lang"
          className="btn text-xs"
          onClick={() => setLang(l === 'vi' ? 'en' : 'vi')}
          title="Tiếng Việt / English"
        >
          {l === 'vi' ? 'EN' : 'VI'}
        </button>
      </div>
    </header>
  )
}
