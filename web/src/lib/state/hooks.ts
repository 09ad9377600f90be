// Shared hooks over the market stores.
import { useSyncExternalStore } from 'react'
import { symbols } from './market'
export { useValue } from './store'

let cachedKeys: string[] = []
let cachedVersion = -1
// The symbols known (re-renders when the set changes, not on every tick).
export function useSyncKeys(): string[] {
  useSyncExternalStore(symbols.subscribeAll, () => symbols.getKeysVersion())
  if (cachedVersion !== symbols.getKeysVersion()) {
    cachedKeys = symbols.keys()
    cachedVersion = symbols.getKeysVersion()
  }
  return cachedKeys
}
