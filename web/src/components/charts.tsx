// Shared Recharts styling.
export const axis = { stroke: '#475569', tick: { fill: '#94a3b8', fontSize: 11 } }
export const grid = { stroke: '#1e2a44', strokeDasharray: '3 3' }
export const tooltip = {
  contentStyle: { background: '#111a2e', border: '1px solid #1e2a44', fontSize: 12 },
  labelStyle: { color: '#e2e8f0' },
}
