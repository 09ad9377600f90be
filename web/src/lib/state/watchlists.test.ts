import { describe, expect, it } from 'vitest'
import { activeList, addList, parseWatchlists, removeActive, renameActive, setActive, toggleSymbol } from './watchlists'

describe('watchlists', () => {
  it('reads saved lists, or the former single list, or starts with one empty list', () => {
    const saved = JSON.stringify({
      lists: [
        { name: 'Ngân hàng', symbols: ['VCB', 'BID'] },
        { name: 'Tech', symbols: ['FPT'] },
      ],
      active: 1,
    })
    expect(parseWatchlists(saved, null, 'L')).toEqual({
      lists: [
        { name: 'Ngân hàng', symbols: ['VCB', 'BID'] },
        { name: 'Tech', symbols: ['FPT'] },
      ],
      active: 1,
    })
    expect(parseWatchlists(null, '["FPT","VNM"]', 'Danh mục 1')).toEqual({
      lists: [{ name: 'Danh mục 1', symbols: ['FPT', 'VNM'] }],
      active: 0,
    })
    expect(parseWatchlists('garbage', 'also garbage', 'L')).toEqual({ lists: [{ name: 'L', symbols: [] }], active: 0 })
    expect(parseWatchlists(JSON.stringify({ lists: [{ name: 'A', symbols: [] }], active: 7 }), null, 'L').active).toBe(
      0,
    )
  })

  it('the star toggles a symbol in the active list', () => {
    let w = parseWatchlists(null, null, 'A')
    w = toggleSymbol(w, 'FPT')
    w = toggleSymbol(w, 'VNM')
    expect(activeList(w).symbols).toEqual(['FPT', 'VNM'])
    w = toggleSymbol(w, 'FPT')
    expect(activeList(w).symbols).toEqual(['VNM'])
  })

  it('adds (unique names), switches, renames and removes lists', () => {
    let w = parseWatchlists(null, null, 'A')
    w = addList(w, 'B')
    expect(w.active).toBe(1)
    w = addList(w, 'B')
    expect(w.lists.map((l) => l.name)).toEqual(['A', 'B', 'B 2'])
    w = toggleSymbol(w, 'HPG')
    expect(w.lists[2].symbols).toEqual(['HPG'])
    expect(w.lists[0].symbols).toEqual([])
    w = renameActive(setActive(w, 1), 'Thép')
    expect(w.lists[1].name).toBe('Thép')
    expect(renameActive(w, '  ')).toBe(w)
    w = removeActive(w)
    expect(w.lists.map((l) => l.name)).toEqual(['A', 'B 2'])
    expect(w.active).toBe(1)
    w = removeActive(removeActive(toggleSymbol(w, 'X')))
    expect(w).toEqual({ lists: [{ name: 'A', symbols: [] }], active: 0 }) // the last list is emptied, not removed
  })
})
