// A CSS media query as React state (false where matchMedia is missing, as in tests).
import { useSyncExternalStore } from 'react'

export const PHONE_QUERY = '(max-width: 480px)'

export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (l) => {
      if (typeof matchMedia === 'undefined') return () => {}
      const m = matchMedia(query)
      m.addEventListener('change', l)
      return () => m.removeEventListener('change', l)
    },
    () => (typeof matchMedia === 'undefined' ? false : matchMedia(query).matches),
  )
}

export const usePhone = (): boolean => useMedia(PHONE_QUERY)
