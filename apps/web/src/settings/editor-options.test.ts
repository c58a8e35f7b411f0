import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, settingsFrom } from '@mimiverse/shared'
import { editorOptionsOf, monacoThemes } from './editor-options'

describe('editorOptionsOf', () => {
  it('maps every setting to its Monaco option, with indentation detection off so tab settings hold', () => {
    const s = {
      ...DEFAULT_SETTINGS,
      fontSize: 20,
      tabSize: 4,
      insertSpaces: false,
      wordWrap: true,
      minimap: false,
    }
    expect(editorOptionsOf({ ...s, renderWhitespace: 'all' })).toEqual({
      fontSize: 20,
      lineHeight: 31,
      tabSize: 4,
      insertSpaces: false,
      detectIndentation: false,
      wordWrap: 'on',
      minimap: { enabled: false, renderCharacters: false },
      renderWhitespace: 'all',
    })
    expect(monacoThemes['high-contrast']).toBe('hc-black')
  })

  it('reads stored settings field by field, defaults for what no longer validates', () => {
    expect(settingsFrom({ fontSize: 99, theme: 'light', unknown: 1 })).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'light',
    })
    expect(settingsFrom(null)).toEqual(DEFAULT_SETTINGS)
  })
})
