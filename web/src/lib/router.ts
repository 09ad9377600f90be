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
