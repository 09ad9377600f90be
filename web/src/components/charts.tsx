import type { ReactNode } from 'react'

// Shared Recharts styling.
export const axis = { stroke: '#475569', tick: { fill: '#94a3b8', fontSize: 11 } }
export const grid = { stroke: '#1e2a44', strokeDasharray: '3 3' }
export const tooltip = {
  contentStyle: { background: '#111a2e', border: '1px solid #1e2a44', fontSize: 12 },
  labelStyle: { color: '#e2e8f0' },
}

// A titled card around a chart, with the fetch error (if any) above it.
export function ChartCard({ title, error, className = '', children }: { title: ReactNode; error?: string | null; className?: string; children: ReactNode }) {
  return (
    <div className={`card ${className}`}>
      <h2>{title}</h2>
      {error ? <div className="text-slate-400 text-sm">{error}</div> : null}
      {children}
    </div>
  )
}
