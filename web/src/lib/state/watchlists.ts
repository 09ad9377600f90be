// Named watchlists kept in localStorage ("vnt.watchlists"): several lists of symbols and the active one.
// The board's star toggles a symbol in the active list; "watchlist only" shows that list. The former single
// list ("vnt.watchlist") becomes the first list. The operations are pure (unit-tested); the store saves.
import { ValueStore } from './store'
import { lang, translate } from '../ui/i18n'

export interface Watchlist {
  name: string
  symbols: string[]
}

export interface Watchlists {
  lists: Watchlist[] // never empty
  active: number // index into lists
}

const KEY = 'vnt.watchlists'
const LEGACY_KEY = 'vnt.watchlist'

export function defaultLists(name: string, symbols: string[] = []): Watchlists {
  return { lists: [{ name, symbols }], active: 0 }
}

// Reads the saved lists (or the legacy single list); anything unreadable gives one empty list.
export function parseWatchlists(saved: string | null, legacy: string | null, defaultName: string): Watchlists {
  try {
    const w = JSON.parse(saved ?? 'null')
    if (w && Array.isArray(w.lists) && w.lists.length > 0) {
      const lists = w.lists
        .filter(
          (l: unknown): l is Watchlist =>
            !!l && typeof (l as Watchlist).name === 'string' && Array.isArray((l as Watchlist).symbols),
        )
        .map((l: Watchlist) => ({ name: l.name, symbols: l.symbols.filter((s) => typeof s === 'string') }))
      if (lists.length > 0) {
        const active = Number.isInteger(w.active) && w.active >= 0 && w.active < lists.length ? w.active : 0
        return { lists, active }
      }
    }
  } catch {
    /* unreadable: below */
  }
  try {
    const old = JSON.parse(legacy ?? '[]')
    if (Array.isArray(old))
      return defaultLists(
        defaultName,
        old.filter((s) => typeof s === 'string'),
      )
  } catch {
    /* unreadable */
  }
  return defaultLists(defaultName)
}

export function activeList(w: Watchlists): Watchlist {
  return w.lists[w.active] ?? w.lists[0]
}

export function toggleSymbol(w: Watchlists, sym: string): Watchlists {
  const l = activeList(w)
  const symbols = l.symbols.includes(sym) ? l.symbols.filter((s) => s !== sym) : [...l.symbols, sym]
  return { ...w, lists: w.lists.map((x, i) => (i === w.active ? { ...x, symbols } : x)) }
}

// A new list (a name already used gets a number), made active.
export function addList(w: Watchlists, name: string): Watchlists {
  const base = name.trim() || 'List'
  const names = new Set(w.lists.map((l) => l.name))
  let n = base
  for (let i = 2; names.has(n); i++) n = `${base} ${i}`
  return { lists: [...w.lists, { name: n, symbols: [] }], active: w.lists.length }
}

// Removes the active list; the last list left is emptied instead.
export function removeActive(w: Watchlists): Watchlists {
  if (w.lists.length === 1) return { lists: [{ ...w.lists[0], symbols: [] }], active: 0 }
  const lists = w.lists.filter((_, i) => i !== w.active)
  return { lists, active: Math.min(w.active, lists.length - 1) }
}

export function renameActive(w: Watchlists, name: string): Watchlists {
  const n = name.trim()
  if (!n) return w
  return { ...w, lists: w.lists.map((x, i) => (i === w.active ? { ...x, name: n } : x)) }
}

export function setActive(w: Watchlists, i: number): Watchlists {
  return i >= 0 && i < w.lists.length ? { ...w, active: i } : w
}

const ls = typeof localStorage !== 'undefined' ? localStorage : null
export const watchlists = new ValueStore<Watchlists>(
  parseWatchlists(ls?.getItem(KEY) ?? null, ls?.getItem(LEGACY_KEY) ?? null, translate(lang.get(), 'defaultList')),
)

export function updateWatchlists(f: (w: Watchlists) => Watchlists): void {
  const next = f(watchlists.get())
  ls?.setItem(KEY, JSON.stringify(next))
  watchlists.set(next)
}
