// One WebSocket client per channel: connects, reconnects with backoff and resumes from the last (epoch, seq)
// it applied (the server sends what was missed, else a snapshot), runs the sequence logic (asks for a
// snapshot on a gap) and hands snapshots, deltas and alerts to its handler.
import { Sequencer, backoffMs, resumePath } from './sequencer'
import type { WsMessage } from '../model/types'

export type LinkState = 'connecting' | 'live' | 'reconnecting'

export interface ChannelHandler {
  onSnapshot(m: WsMessage): void
  onDelta(m: WsMessage): void
  onState?(s: LinkState): void
  // A gap in seq: a snapshot has been asked for; the handler may also re-fetch what it missed.
  onGap?(): void
}

export function wsUrl(path: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}${path}`
}

export class ChannelClient {
  readonly seq = new Sequencer()
  state: LinkState = 'connecting'
  lastMessageAt = 0
  reconnects = 0
  resumes = 0
  private ws: WebSocket | null = null
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = false

  constructor(
    readonly path: string,
    private handler: ChannelHandler,
  ) {}

  start(): void {
    this.stopped = false
    this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.ws?.close()
  }

  private setState(s: LinkState): void {
    if (this.state === s) return
    this.state = s
    this.handler.onState?.(s)
  }

  private connect(): void {
    const at = this.seq.resumePoint()
    if (at) this.resumes++
    const ws = new WebSocket(wsUrl(resumePath(this.path, at)))
    this.ws = ws
    ws.onopen = () => {
      this.attempt = 0
    }
    ws.onmessage = (ev) => {
      let m: WsMessage
      try {
        m = JSON.parse(ev.data as string)
      } catch {
        return
      }
      this.lastMessageAt = Date.now()
      switch (this.seq.accept(m)) {
        case 'snapshot':
          this.setState('live')
          this.handler.onSnapshot(m)
          break
        case 'delta':
        case 'alert':
          this.setState('live') // also after a resume, which sends deltas only
          this.handler.onDelta(m)
          break
        case 'gap':
          ws.send(JSON.stringify({ action: 'snapshot' }))
          this.handler.onGap?.()
          break
        default:
          break
      }
    }
    ws.onclose = () => {
      if (this.ws !== ws) return
      this.ws = null
      if (this.stopped) {
        this.seq.reset()
        return
      }
      this.setState('reconnecting')
      this.reconnects++
      this.timer = setTimeout(() => this.connect(), backoffMs(this.attempt++))
    }
    ws.onerror = () => ws.close()
  }
}
