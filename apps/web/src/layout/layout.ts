/**
 * The IDE's panel sizes: the sidebar's and the chat's widths and the terminal panel's height, in CSS pixels.
 * Kept per browser (localStorage): a layout fits a screen, not an account.
 */
export interface Layout {
  sidebar: number
  chat: number
  terminal: number
}

export type Panel = keyof Layout

/** The smallest and largest size of each panel; the editor keeps the rest. */
export const LIMITS: Record<Panel, { min: number; max: number }> = {
  sidebar: { min: 180, max: 640 },
  chat: { min: 280, max: 760 },
  terminal: { min: 120, max: 900 },
}

export const DEFAULT_LAYOUT: Layout = { sidebar: 260, chat: 380, terminal: 280 }

/** Layouts for what people do most: build and run, review (room for comments and history), talk to the AI. */
export const PRESETS = {
  build: { layout: { sidebar: 240, chat: 360, terminal: 360 }, chat: false, title: 'Build' },
  review: { layout: { sidebar: 420, chat: 360, terminal: 200 }, chat: false, title: 'Review' },
  chat: { layout: { sidebar: 220, chat: 560, terminal: 240 }, chat: true, title: 'Chat' },
} as const satisfies Record<string, { layout: Layout; chat: boolean; title: string }>

export type PresetName = keyof typeof PRESETS

export function clampSize(panel: Panel, size: number): number {
  const { min, max } = LIMITS[panel]
  return Math.round(Math.min(max, Math.max(min, Number.isFinite(size) ? size : DEFAULT_LAYOUT[panel])))
}

/** A stored layout, each size checked; anything unreadable falls back to the default. */
export function parseLayout(stored: string | null): Layout {
  let value: unknown = null
  try {
    value = stored ? JSON.parse(stored) : null
  } catch {
    value = null
  }
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const size = (panel: Panel) => {
    const v = record[panel]
    return clampSize(panel, typeof v === 'number' ? v : DEFAULT_LAYOUT[panel])
  }
  return { sidebar: size('sidebar'), chat: size('chat'), terminal: size('terminal') }
}

export const LAYOUT_KEY = 'mimiverse.layout'
