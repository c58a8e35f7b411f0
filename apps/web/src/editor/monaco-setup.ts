import * as monaco from 'monaco-editor'
import { loader } from '@monaco-editor/react'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import CssWorker from 'monaco-editor/language/css/css.worker?worker'
import HtmlWorker from 'monaco-editor/language/html/html.worker?worker'
import JsonWorker from 'monaco-editor/language/json/json.worker?worker'
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker'
import { DARK_THEME } from '../settings/editor-options'
import { configureTypeScript } from '../typescript/ts-defaults'

/**
 * Monaco from the npm package, bundled by Vite (workers included). @monaco-editor/react would otherwise load
 * Monaco from a CDN: machines here are offline, and y-monaco must see the same Monaco instance as the editor
 * (y-monaco issue #13). Importing this module has that side effect once.
 */
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    if (label === 'json') return new JsonWorker()
    if (label === 'css' || label === 'scss' || label === 'less') return new CssWorker()
    if (label === 'html' || label === 'handlebars' || label === 'razor') return new HtmlWorker()
    if (label === 'typescript' || label === 'javascript') return new TsWorker()
    return new EditorWorker()
  },
}

loader.config({ monaco })

// Before any TypeScript model exists: Monaco reads the mode configuration once, when the language starts.
configureTypeScript()

/** Our dark theme; the user's setting picks it or one of Monaco's (settings/editor-options.ts). */
export const THEME = DARK_THEME

monaco.editor.defineTheme(THEME, {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#1b1d23',
    'editorGutter.background': '#1b1d23',
    'editor.lineHighlightBackground': '#23262e',
    'editorLineNumber.foreground': '#4b5263',
    'editorLineNumber.activeForeground': '#abb2bf',
  },
})

export { monaco }
