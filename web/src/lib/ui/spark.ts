// Sparkline geometry (pure): the SVG polyline points of a series and the y of its reference line, shared by
// the React <Sparkline> and the board rows, which draw their sparklines without a React render.

export interface SparkGeometry {
  points: string
  refY: string | null
}

// null when there are fewer than two values (nothing to draw).
export function sparkGeometry(
  values: readonly number[],
  refValue: number | null | undefined,
  width: number,
  height: number,
): SparkGeometry | null {
  if (values.length < 2) return null
  // No more points than pixels: a whole day (~270 minutes) is thinned to about one point per pixel.
  if (values.length > width) {
    const step = values.length / width
    const thin: number[] = []
    for (let i = 0; i < width - 1; i++) thin.push(values[Math.floor(i * step)])
    thin.push(values[values.length - 1])
    values = thin
  }
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (refValue) {
    lo = Math.min(lo, refValue)
    hi = Math.max(hi, refValue)
  }
  const span = hi - lo || 1
  const n = values.length - 1
  const y = (v: number) => (height - 1 - ((v - lo) / span) * (height - 2)).toFixed(1)
  let points = ''
  for (let i = 0; i <= n; i++) {
    if (i) points += ' '
    points += `${((i / n) * (width - 2) + 1).toFixed(1)},${y(values[i])}`
  }
  return { points, refY: refValue ? y(refValue) : null }
}
