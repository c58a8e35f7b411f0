import { z } from 'zod'

/**
 * A person's IDE settings, kept on the server (`settings.get` / `settings.update` of the workspace API) so they
 * follow the account to every browser. The schema is the boundary: the server validates every update with it
 * and reads stored rows through it, so a row written by an older version falls back to defaults field by field.
 */

/** Editor themes: our dark theme, Monaco's light one (`vs`) and its high-contrast dark one (`hc-black`). */
export const EditorTheme = { Dark: 'dark', Light: 'light', HighContrast: 'high-contrast' } as const
export type EditorTheme = (typeof EditorTheme)[keyof typeof EditorTheme]

/** Monaco's `renderWhitespace` values. */
export const RENDER_WHITESPACE = ['none', 'boundary', 'selection', 'trailing', 'all'] as const

/**
 * The colours a person may be shown in (presence list, cursors, avatar): twelve hues far enough apart to tell
 * apart on the dark editor, and with a readable dark label on each. `#rrggbb`, lower case.
 */
export const PRESENCE_COLORS = [
  '#e06c75',
  '#e5c07b',
  '#98c379',
  '#56b6c2',
  '#61afef',
  '#c678dd',
  '#d19a66',
  '#7ee0a8',
  '#f78fb3',
  '#a5b4fc',
  '#f5a97f',
  '#b5e655',
] as const
export type PresenceColor = (typeof PRESENCE_COLORS)[number]

export const presenceColorSchema = z.enum(PRESENCE_COLORS, { message: 'must be one of the palette colours' })

export const userSettingsSchema = z.strictObject({
  theme: z.enum([EditorTheme.Dark, EditorTheme.Light, EditorTheme.HighContrast]),
  /** Editor font size in CSS pixels. */
  fontSize: z.number().int().min(8).max(32),
  /** Columns per tab stop. */
  tabSize: z.number().int().min(1).max(8),
  insertSpaces: z.boolean(),
  wordWrap: z.boolean(),
  minimap: z.boolean(),
  renderWhitespace: z.enum(RENDER_WHITESPACE),
  /** Vim key bindings (monaco-vim) with a mode line under the editor. */
  vim: z.boolean(),
  /** The colour others see you in; null lets the server pick a free one in each project. */
  color: presenceColorSchema.nullable(),
})
export type UserSettings = z.infer<typeof userSettingsSchema>

export const DEFAULT_SETTINGS: UserSettings = {
  theme: EditorTheme.Dark,
  fontSize: 14,
  tabSize: 2,
  insertSpaces: true,
  wordWrap: false,
  minimap: true,
  renderWhitespace: 'selection',
  vim: false,
  color: null,
}

/** `settings.update`'s input: any subset of the fields (unknown fields are refused), at least one. */
export const settingsPatchSchema = userSettingsSchema
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'nothing to update' })
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

/**
 * Stored settings read back field by field: a field that no longer validates (a removed option, a narrowed
 * range) takes its default instead of failing the whole read.
 */
export function settingsFrom(stored: unknown): UserSettings {
  const source = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  for (const [key, field] of Object.entries(userSettingsSchema.shape)) {
    const parsed = field.safeParse(source[key])
    if (parsed.success && key in source) out[key] = parsed.data
  }
  return out as UserSettings
}
