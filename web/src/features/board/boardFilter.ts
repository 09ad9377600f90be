// The board's filter: one ticker or a list ("FPT,VNM", "fpt vnm", "FPT; VNM"): a symbol is shown when it
// contains any of the typed codes.
export function parseFilter(text: string): string[] {
  return text
    .toUpperCase()
    .split(/[\s,;]+/)
    .filter((x) => x.length > 0)
}

export function matchesFilter(sym: string, codes: string[]): boolean {
  return codes.length === 0 || codes.some((c) => sym.includes(c))
}

// Type-ahead on the board: the first shown symbol starting with what was typed, else the first containing it.
export function typeahead(shown: string[], typed: string): string | null {
  const u = typed.toUpperCase()
  if (!u) return null
  return shown.find((s) => s.startsWith(u)) ?? shown.find((s) => s.includes(u)) ?? null
}

// The symbol `delta` rows away from `current` in the shown order (the first or last row when none is selected).
export function moveSelection(shown: string[], current: string | null, delta: number): string | null {
  if (shown.length === 0) return null
  const i = current === null ? -1 : shown.indexOf(current)
  if (i < 0) return delta >= 0 ? shown[0] : shown[shown.length - 1]
  return shown[Math.max(0, Math.min(shown.length - 1, i + delta))]
}
