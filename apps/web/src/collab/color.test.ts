import { describe, expect, it } from 'vitest'
import { colorFor, setAssignedColors } from './color'

describe('colorFor', () => {
  it('is stable per id and spreads ids over the hue circle', () => {
    const id = '0b7c4a7e-6a56-4c1b-9f57-0c8c1d1f2a3b'
    expect(colorFor(id)).toBe(colorFor(id))
    expect(colorFor(id, 0.3)).toMatch(/^hsl\(\d+ 75% 62% \/ 0\.3\)$/)
    const hues = new Set(Array.from({ length: 50 }, (_, i) => colorFor(`user-${i}`)))
    expect(hues.size).toBeGreaterThan(35)
  })
})

describe('assigned colours', () => {
  it('uses the server colour (with alpha) and ignores anything not of its shapes', () => {
    setAssignedColors([
      { userId: 'a', color: '#e06c75' },
      { userId: 'b', color: 'hsl(120 70% 60%)' },
      { userId: 'c', color: 'red; background: url(x)' },
    ])
    expect(colorFor('a')).toBe('#e06c75')
    expect(colorFor('a', 0.28)).toBe('rgb(224 108 117 / 0.28)')
    expect(colorFor('b', 0.5)).toBe('hsl(120 70% 60% / 0.5)')
    expect(colorFor('c')).toMatch(/^hsl\(\d+ 75% 62%\)$/)
    setAssignedColors([])
    expect(colorFor('a')).toMatch(/^hsl\(\d+ 75% 62%\)$/)
  })
})
