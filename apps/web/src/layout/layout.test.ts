import { describe, expect, it } from 'vitest'
import { clampSize, DEFAULT_LAYOUT, LIMITS, parseLayout, PRESETS } from './layout'

describe('layout', () => {
  it('keeps every size within its panel limits', () => {
    expect(clampSize('sidebar', 10)).toBe(LIMITS.sidebar.min)
    expect(clampSize('chat', 10_000)).toBe(LIMITS.chat.max)
    expect(clampSize('terminal', 333.6)).toBe(334)
    expect(clampSize('sidebar', Number.NaN)).toBe(DEFAULT_LAYOUT.sidebar)
  })

  it('reads a stored layout, and falls back to the default for anything it cannot trust', () => {
    expect(parseLayout(JSON.stringify({ sidebar: 300, chat: 400, terminal: 200 }))).toEqual({
      sidebar: 300,
      chat: 400,
      terminal: 200,
    })
    expect(parseLayout('{"sidebar": 99999, "chat": "wide"}')).toEqual({
      sidebar: LIMITS.sidebar.max,
      chat: DEFAULT_LAYOUT.chat,
      terminal: DEFAULT_LAYOUT.terminal,
    })
    expect(parseLayout('not json')).toEqual(DEFAULT_LAYOUT)
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT)
  })

  it('has presets within the limits', () => {
    for (const { layout } of Object.values(PRESETS))
      expect(parseLayout(JSON.stringify(layout))).toEqual(layout)
  })
})
