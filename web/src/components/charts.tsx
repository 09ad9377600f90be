import type { ReactNode } from 'react'

// Shared Recharts styling.
// SVG attributes take no CSS variables: greys readable on the dark and the light theme; the tooltip (an
// inline style) follows the theme's variables.
export const axis = { stroke: '#7c8ba1', tick: { fill: '#7c8ba1', fontSize: 11 } }
export const grid = { stroke: 'rgba(100, 116, 139, 0.25)', strokeDasharray: '3 3' }
export const tooltip = {
  contentStyle: { background: 'var(--color-panel)', border: '1px solid var(--color-line)', fontSize: 12 },
  labelStyle: { color: 'var(--color-slate-200)' },
}

// A titled card around a chart, with the fetch error (if any) above it.
export function ChartCard({
  title,
  error,
  className = '',
  children,
}: {
  title: ReactNode
  error?: string | null
  className?: string
  children: ReactNode
}) {
  return (
    <div className={`card ${className}`}>
      <h2>{title}</h2>
      {error ? <div className="text-slate-400 text-sm">{error}</div> : null}
      {children}
    </div>
  )
}
