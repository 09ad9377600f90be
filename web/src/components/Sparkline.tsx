import { memo } from 'react'
import { sparkGeometry } from '../lib/ui/spark'

// A small SVG line of values; the reference line (dashed) when given.
export const Sparkline = memo(function Sparkline({
  values,
  refLine: refValue,
  width = 80,
  height = 20,
  color = '#94a3b8',
}: {
  values: number[]
  refLine?: number | null
  width?: number
  height?: number
  color?: string
}) {
  const g = sparkGeometry(values, refValue, width, height)
  if (!g) return <svg width={width} height={height} />
  return (
    <svg width={width} height={height} className="block">
      {g.refY !== null ? (
        <line x1="0" x2={width} y1={g.refY} y2={g.refY} stroke="#eab308" strokeOpacity="0.5" strokeDasharray="2 2" />
      ) : null}
      <polyline points={g.points} fill="none" stroke={color} strokeWidth="1.2" />
    </svg>
  )
})
