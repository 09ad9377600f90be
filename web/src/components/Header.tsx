import { useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { futures, meta } from '../lib/state/market'
import { connection } from '../lib/transport/connection'
import { lang, sessionNames, setLang, useT, type Key } from '../lib/ui/i18n'
import { navigate, openSymbol, useRoute } from '../lib/state/router'
import { useValue } from '../lib/state/store'
import { useSyncKeys } from '../lib/state/hooks'
import { setTheme, useTheme } from '../lib/state/theme'
import { AlertSettingsMenu } from '../features/alerts/AlertToasts'

export const PAGES: { path: string; key: Key }[] = [
  { path: '/', key: 'board' },
  { path: '/overview', key: 'overview' },
  { path: '/charts', key: 'charts' },
  { path: '/foreign', key: 'foreign' },
  { path: '/volume', key: 'volume' },
  { path: '/derivatives', key: 'derivatives' },
  { path: '/signals', key: 'signals' },
]

// Go to a symbol: type a ticker, a futures code or alias, or an index, then Enter.
function SymbolSearch({ onDone, className = '' }: { onDone?: () => void; className?: string }) {
  const t = useT()
  const keys = useSyncKeys()
  // The contracts' names only: the futures store changes on every tick, the names once a day.
  const futNames = useSyncExternalStore(futures.subscribe, () =>
    futures
      .get()
      .map((f) => f.alias ?? f.symbol)
      .join(','),
  )
  const [v, setV] = useState('')
  return (
    <form
      className={className}
      onSubmit={(e) => {
        e.preventDefault()
        if (!v.trim()) return
        openSymbol(v)
        setV('')
        onDone?.()
      }}
    >
      <input
        value={v}
        onChange={(e) => setV(e.target.value.toUpperCase())}
        placeholder={t('searchSymbol')}
        title={t('openSymbol')}
        aria-label={t('openSymbol')}
        list="vnt-symbols"
        className="w-28 uppercase"
        data-testid="symbol-search"
      />
      <datalist id="vnt-symbols">
        {['VN30', 'VNINDEX', ...(futNames ? futNames.split(',') : []), ...[...keys].sort()].map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
    </form>
  )
}

function NavLinks({ path, onGo, vertical = false }: { path: string; onGo?: () => void; vertical?: boolean }) {
  const t = useT()
  return (
    <nav className={vertical ? 'flex flex-col gap-1' : 'flex gap-1'}>
      {PAGES.map((p) => (
        <a
          key={p.path}
          href={p.path}
          data-nav={p.key}
          onClick={(e) => {
            e.preventDefault()
            navigate(p.path)
            onGo?.()
          }}
          className={
            'px-2.5 py-1 rounded whitespace-nowrap ' +
            (path === p.path ? 'nav-on' : 'text-slate-400 hover:text-slate-100 hover:bg-slate-800')
          }
        >
          {t(p.key)}
        </a>
      ))}
    </nav>
  )
}

function Connection({ short = false }: { short?: boolean }) {
  const t = useT()
  const conn = useValue(connection).state
  const dot =
    conn === 'live'
      ? 'bg-up'
      : conn === 'stale'
        ? 'bg-ref'
        : conn === 'reconnecting'
          ? 'bg-down animate-pulse'
          : 'bg-slate-500'
  return (
    <span
      data-testid={short ? 'connection-short' : 'connection'}
      data-state={conn}
      className="flex items-center gap-1.5 whitespace-nowrap"
      title={t(conn)}
    >
      <span className={`inline-block w-2 h-2 rounded-full ${dot}`} />
      {short ? null : t(conn)}
    </span>
  )
}

function Toggles() {
  const l = useValue(lang)
  const th = useTheme()
  const t = useT()
  return (
    <>
      <AlertSettingsMenu />
      <button
        data-testid="theme"
        className="btn text-xs"
        onClick={() => setTheme(th === 'dark' ? 'light' : 'dark')}
        title={th === 'dark' ? t('themeLight') : t('themeDark')}
        aria-label={th === 'dark' ? t('themeLight') : t('themeDark')}
      >
        <svg
          viewBox="0 0 24 24"
          width="14"
          height="14"
          className="inline -mt-0.5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          aria-hidden
        >
          {th === 'dark' ? (
            <path d="M12 4V2m0 20v-2m8-8h2M2 12h2m13.66-5.66 1.41-1.41M4.93 19.07l1.41-1.41m0-11.32L4.93 4.93m14.14 14.14-1.41-1.41M16 12a4 4 0 1 1-8 0 4 4 0 0 1 8 0Z" />
          ) : (
            <path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8Z" />
          )}
        </svg>
      </button>
      <button
        data-testid="lang"
        className="btn text-xs"
        onClick={() => setLang(l === 'vi' ? 'en' : 'vi')}
        title="Tiếng Việt / English"
      >
        {l === 'vi' ? 'EN' : 'VI'}
      </button>
    </>
  )
}

// The session and the exchange time: the only part of the header that changes with every market message.
function Clock() {
  const t = useT()
  const l = useValue(lang)
  const m = useValue(meta)
  const session = m.session ? (sessionNames[m.session]?.[l === 'vi' ? 0 : 1] ?? m.session) : '–'
  return (
    <>
      <span data-testid="session" className="text-slate-300 whitespace-nowrap hidden sm:inline">
        <span className="hidden 2xl:inline">{t('session')}: </span>
        <b className="text-slate-100">{session}</b>
      </span>
      <span data-testid="exchange-time" className="num text-slate-100 whitespace-nowrap" title={m.trading_date ?? ''}>
        <span className="hidden 2xl:inline">{m.trading_date ?? ''} </span>
        {m.exchange_time ?? '--:--:--'}
      </span>
    </>
  )
}

function MenuClock() {
  const t = useT()
  const l = useValue(lang)
  const m = useValue(meta)
  const session = m.session ? (sessionNames[m.session]?.[l === 'vi' ? 0 : 1] ?? m.session) : '–'
  return (
    <>
      <span>
        {t('session')}: <b className="text-slate-100">{session}</b>
      </span>
      <span className="num">
        {m.trading_date ?? ''} {m.exchange_time ?? ''}
      </span>
    </>
  )
}

export function Header() {
  const t = useT()
  const path = useRoute()
  const [open, setOpen] = useState(false)
  const menu = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent) => menu.current && !menu.current.contains(e.target as Node) && setOpen(false)
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])
  return (
    <header className="relative flex items-center gap-3 px-3 h-10 border-b border-line bg-panel text-[13px]" ref={menu}>
      <a
        href="/"
        className="font-semibold text-slate-100 tracking-tight whitespace-nowrap"
        onClick={(e) => {
          e.preventDefault()
          navigate('/')
        }}
      >
        VN<span className="text-up">30</span> Tracker
      </a>
      <div className="hidden xl:flex items-center gap-3 min-w-0">
        <NavLinks path={path} />
        <SymbolSearch />
      </div>
      <div className="ml-auto flex items-center gap-3 min-w-0">
        <Clock />
        <span className="hidden xl:flex">
          <Connection />
        </span>
        <span className="xl:hidden">
          <Connection short />
        </span>
        <span className="hidden xl:flex items-center gap-2">
          <Toggles />
        </span>
        <button
          className="btn xl:hidden"
          data-testid="menu"
          aria-expanded={open}
          aria-label={t('menu')}
          title={t('menu')}
          onClick={() => setOpen(!open)}
        >
          ☰
        </button>
      </div>
      {open ? (
        <div
          className="xl:hidden absolute right-0 top-10 z-50 w-full sm:w-72 card rounded-none sm:rounded-md shadow-lg shadow-black/40 flex flex-col gap-3"
          data-testid="menu-panel"
        >
          <NavLinks path={path} vertical onGo={() => setOpen(false)} />
          <SymbolSearch onDone={() => setOpen(false)} />
          <div className="text-slate-300 text-xs flex flex-col gap-1">
            <MenuClock />
            <Connection />
          </div>
          <div className="flex items-center gap-2">
            <Toggles />
          </div>
        </div>
      ) : null}
    </header>
  )
}
