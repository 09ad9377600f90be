// A tiny pathname router (the server answers every non-API path with index.html).
import { ValueStore, useValue } from './store'

export const route = new ValueStore<string>(typeof location !== 'undefined' ? location.pathname : '/')

export function navigate(path: string): void {
  if (path === location.pathname) return
  history.pushState(null, '', path)
  route.set(path)
}

if (typeof window !== 'undefined') window.addEventListener('popstate', () => route.set(location.pathname))

export function useRoute(): string {
  return useValue(route)
}

// The symbol page: /symbol/FPT, /symbol/VN30F1M, /symbol/VN30...
export function symbolPath(sym: string): string {
  return `/symbol/${encodeURIComponent(sym.trim().toUpperCase())}`
}

// The symbol of a /symbol/... path, upper-case; null for any other page.
export function symbolOfPath(path: string): string | null {
  const m = /^\/symbol\/([^/?#]+)/.exec(path)
  if (!m) return null
  try {
    return decodeURIComponent(m[1]).trim().toUpperCase() || null
  } catch {
    return null
  }
}

export function openSymbol(sym: string): void {
  const s = sym.trim()
  if (s) navigate(symbolPath(s))
}
