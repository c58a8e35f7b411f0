import { EditorTheme, type UserSettings } from '@mimiverse/shared'
import type { monaco } from '../editor/monaco-setup'

/** Our own dark theme (defined in monaco-setup.ts). */
export const DARK_THEME = 'mimiverse-dark'

/** The Monaco theme of each setting: ours, Monaco's light `vs`, Monaco's high-contrast `hc-black`. */
export const monacoThemes = {
  [EditorTheme.Dark]: DARK_THEME,
  [EditorTheme.Light]: 'vs',
  [EditorTheme.HighContrast]: 'hc-black',
} as const satisfies Record<EditorTheme, string>

/** The Monaco options a person's settings decide (the rest stay the editor's own). */
export function editorOptionsOf(
  s: UserSettings,
): monaco.editor.IEditorOptions & monaco.editor.IGlobalEditorOptions {
  return {
    fontSize: s.fontSize,
    // Monaco's default line height for a size; ours was 21 px at 13.5 px.
    lineHeight: Math.round(s.fontSize * 1.55),
    tabSize: s.tabSize,
    insertSpaces: s.insertSpaces,
    // The model's own detection would override the two above for files that already use tabs or spaces.
    detectIndentation: false,
    wordWrap: s.wordWrap ? 'on' : 'off',
    minimap: { enabled: s.minimap, renderCharacters: false },
    renderWhitespace: s.renderWhitespace,
  }
}
