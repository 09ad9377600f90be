// Dark (default) or light theme: a data-theme attribute on <html> switches the CSS colour variables
// (index.css); canvas charts read the variables when they are made. Kept in localStorage.
import { ValueStore, useValue } from './store'

export type Theme = 'dark' | 'light'

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem('vnt.theme') : null
export const theme = new ValueStore<Theme>(saved === 'light' ? 'light' : 'dark')

export function applyTheme(): void {
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = theme.get()
}

export function setTheme(t: Theme): void {
  localStorage.setItem('vnt.theme', t)
  theme.set(t)
  applyTheme()
}

export function useTheme(): Theme {
  return useValue(theme)
}

// A CSS variable's value now ("color-board", "chart-text"...): canvas charts need real colours. The variables
// read this way are hex in index.css (Tailwind's own palette is oklch, which not every canvas parser takes).
export function cssVar(name: string, fallback = '#94a3b8'): string {
  if (typeof document === 'undefined') return fallback
  const v = getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim()
  return v || fallback
}
