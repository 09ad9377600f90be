import { useEffect, useState } from 'react'
import { clockTime, connection } from '../lib/transport/connection'
import { fill, useT } from '../lib/ui/i18n'
import { useValue } from '../lib/state/store'

// When the feed is reconnecting or stale: a banner saying since when the data stopped (the board is dimmed
// too, see Board), so a frozen price never looks live.
export function ConnectionBanner() {
  const c = useValue(connection)
  const t = useT()
  const [, tick] = useState(0)
  const down = c.state === 'reconnecting' || c.state === 'stale'
  useEffect(() => {
    if (!down) return
    const id = setInterval(() => tick((n) => n + 1), 1000)
    return () => clearInterval(id)
  }, [down])
  if (!down || c.since === null) return null
  const ago = Math.max(0, Math.round((Date.now() - c.since) / 1000))
  const text = fill(t(c.state === 'stale' ? 'connStale' : 'connDown'), { since: clockTime(c.since), ago })
  return (
    <div role="alert" data-testid="conn-banner" data-state={c.state} className="conn-banner">
      <b>{text}</b>
      {c.lastExchangeTime ? (
        <span className="opacity-80"> · {fill(t('lastExchange'), { time: c.lastExchangeTime })}</span>
      ) : null}
    </div>
  )
}
