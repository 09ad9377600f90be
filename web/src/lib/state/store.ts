// Tiny external stores for useSyncExternalStore: a keyed store notifies only the listeners of the keys that
// changed, so a tick of one symbol re-renders only that symbol's row.
import { useSyncExternalStore } from 'react'

type Listener = () => void

export class KeyedStore<T> {
  private values = new Map<string, T>()
  private listeners = new Map<string, Set<Listener>>()
  private all = new Set<Listener>()
  private version = 0
  private keysVersion = 0 // changes when the set of keys changes (a key added, the store cleared)

  get(key: string): T | undefined {
    return this.values.get(key)
  }
  size(): number {
    return this.values.size
  }
  keys(): string[] {
    return [...this.values.keys()]
  }
  entries(): [string, T][] {
    return [...this.values.entries()]
  }
  getVersion(): number {
    return this.version
  }
  // Identity of the key set: a new day with other symbols but the same count still changes it.
  getKeysVersion(): number {
    return this.keysVersion
  }
  // Sets several keys, then notifies each changed key's listeners once and the whole-store listeners once.
  setMany(updates: Iterable<[string, T]>): void {
    const changed: string[] = []
    for (const [k, v] of updates) {
      if (this.values.get(k) === v) continue
      if (!this.values.has(k)) this.keysVersion++
      this.values.set(k, v)
      changed.push(k)
    }
    if (changed.length === 0) return
    this.version++
    for (const k of changed) this.listeners.get(k)?.forEach((l) => l())
    this.all.forEach((l) => l())
  }
  set(key: string, value: T): void {
    this.setMany([[key, value]])
  }
  clear(): void {
    const keys = [...this.values.keys()]
    this.values.clear()
    this.version++
    this.keysVersion++
    for (const k of keys) this.listeners.get(k)?.forEach((l) => l())
    this.all.forEach((l) => l())
  }
  subscribeKey(key: string, l: Listener): () => void {
    let set = this.listeners.get(key)
    if (!set) this.listeners.set(key, (set = new Set()))
    set.add(l)
    return () => set!.delete(l)
  }
  subscribeAll = (l: Listener): (() => void) => {
    this.all.add(l)
    return () => this.all.delete(l)
  }
}

export function useKey<T>(store: KeyedStore<T>, key: string): T | undefined {
  return useSyncExternalStore(
    (l) => store.subscribeKey(key, l),
    () => store.get(key),
  )
}

// Re-renders on any change of the store (use for small stores or throttled views).
export function useStoreVersion<T>(store: KeyedStore<T>): number {
  return useSyncExternalStore(store.subscribeAll, () => store.getVersion())
}

// A single value with listeners.
export class ValueStore<T> {
  private listeners = new Set<Listener>()
  constructor(private value: T) {}
  get = (): T => this.value
  set(v: T): void {
    if (Object.is(v, this.value)) return
    this.value = v
    this.listeners.forEach((l) => l())
  }
  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }
}

export function useValue<T>(store: ValueStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get)
}
