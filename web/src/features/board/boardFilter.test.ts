import { describe, expect, it } from 'vitest'
import { matchesFilter, moveSelection, parseFilter, typeahead } from './boardFilter'

describe('board filter and keyboard', () => {
  it('takes one code or a list', () => {
    expect(parseFilter('fpt')).toEqual(['FPT'])
    expect(parseFilter(' FPT,VNM ; hpg  ')).toEqual(['FPT', 'VNM', 'HPG'])
    expect(parseFilter('')).toEqual([])
    const syms = ['ACB', 'FPT', 'VNM', 'VPB']
    expect(syms.filter((s) => matchesFilter(s, parseFilter('FPT,VNM')))).toEqual(['FPT', 'VNM'])
    expect(syms.filter((s) => matchesFilter(s, parseFilter('v')))).toEqual(['VNM', 'VPB'])
    expect(syms.filter((s) => matchesFilter(s, []))).toEqual(syms)
  })

  it('type-ahead finds the first symbol starting with what was typed', () => {
    const shown = ['ACB', 'FPT', 'VCB', 'VNM', 'VPB']
    expect(typeahead(shown, 'v')).toBe('VCB')
    expect(typeahead(shown, 'vn')).toBe('VNM')
    expect(typeahead(shown, 'PB')).toBe('VPB') // contained
    expect(typeahead(shown, 'XYZ')).toBeNull()
    expect(typeahead(shown, '')).toBeNull()
  })

  it('arrows move within the shown rows', () => {
    const shown = ['ACB', 'FPT', 'VNM']
    expect(moveSelection(shown, null, 1)).toBe('ACB')
    expect(moveSelection(shown, null, -1)).toBe('VNM')
    expect(moveSelection(shown, 'ACB', 1)).toBe('FPT')
    expect(moveSelection(shown, 'VNM', 1)).toBe('VNM')
    expect(moveSelection(shown, 'FPT', -10)).toBe('ACB')
    expect(moveSelection(shown, 'HPG', 1)).toBe('ACB') // not shown any more
    expect(moveSelection([], 'ACB', 1)).toBeNull()
  })
})
