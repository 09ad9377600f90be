import { useEffect, useState } from 'react'

// Re-renders the caller every `ms` (analysis pages refresh at a calm pace instead of on every tick).
export function useTicker(ms: number): number {
  const [n, setN] = useState(0)
  useEffect(() => {
    const id = setInterval(() => setN((x) => x + 1), ms)
    return () => clearInterval(id)
  }, [ms])
  return n
}

// Fetches `load()` now and every `ms`; keeps the last good value.
export function usePolled<T>(
  load: () => Promise<T>,
  ms: number,
  deps: unknown[],
): { data: T | null; error: string | null } {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    setData(null)
    const run = () =>
      load()
        .then((d) => {
          if (!alive) return
          setData(d)
          setError(null)
        })
        .catch((e) => alive && setError(String(e?.message ?? e)))
    run()
    const id = setInterval(run, ms)
    return () => {
      alive = false
      clearInterval(id)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return { data, error }
}
