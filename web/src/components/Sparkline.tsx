import { memo } from 'react'

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
  if (values.length < 2) return <svg width={width} height={height} />
  // No more points than pixels: a whole day (~270 minutes) is thinned to about one point per pixel.
  if (values.length > width) {
    const step = values.length / width
    const thin: number[] = []
    for (let i = 0; i < width - 1; i++) thin.push(values[Math.floor(i * step)])
    thin.push(values[values.length - 1])
    values = thin
  }
  let lo = Math.min(...values)
  let hi = Math.max(...values)
  if (refValue) {
    lo = Math.min(lo, refValue)
    hi = Math.max(hi, refValue)
  }
  const span = hi - lo || 1
  const x = (i: number) => ((i / (values.length - 1)) * (width - 2) + 1).toFixed(1)
  const y = (v: number) => (height - 1 - ((v - lo) / span) * (height - 2)).toFixed(1)
  const pts = values.map((v, i) => `${x(i)},${y(v)}`).join(' ')
  return (
    <svg width={width} height={height} className="block">
      {refValue ? (
        <line x1="0" x2={width} y1={y(refValue)} y2={y(refValue)} stroke="#eab308" strokeOpacity="0.5" strokeDasharray="2 2" />
      ) : null}
      <polyline points={pts} fill="none" stroke={color} strokeWidth="1.2" />
    </svg>
  )
})
