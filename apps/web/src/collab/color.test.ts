import { describe, expect, it } from 'vitest'
import { colorFor } from './color'

describe('colorFor', () => {
  it('is stable per id and spreads ids over the hue circle', () => {
    const id = '0b7c4a7e-6a56-4c1b-9f57-0c8c1d1f2a3b'
    expect(colorFor(id)).toBe(colorFor(id))
    expect(colorFor(id, 0.3)).toMatch(/^hsl\(\d+ 75% 62% \/ 0\.3\)$/)
    const hues = new Set(Array.from({ length: 50 }, (_, i) => colorFor(`user-${i}`)))
    expect(hues.size).toBeGreaterThan(35)
  })
})
