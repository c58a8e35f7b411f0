import { MonacoBinding } from 'y-monaco'
import * as Y from 'yjs'
import { AgentHighlights } from '../agent/agent-highlights'
import type { DocSession } from '../collab/doc-session'
import { languageForPath } from './language'
import { modelUri, registerBoundModel, unregisterBoundModel } from './model-uri'
import { monaco } from './monaco-setup'

export { docNameOfUri } from './model-uri'

type Editor = monaco.editor.IStandaloneCodeEditor

/** An open file bound to the editor: its Monaco model, the y-monaco binding, and an undo manager of our own. */
export interface FileBinding {
  docName: string
  /** The path the model's URI was made from (a renamed file is bound again). */
  path: string
  model: monaco.editor.ITextModel
  /**
   * Undoes only this user's edits: it tracks the binding's transaction origin, never remote updates. Monaco's
   * own undo stack would replay inverse edits over other people's changes (y-monaco issue #9).
   */
  undo: Y.UndoManager
  /** The agent's highlight in this file (the ranges of its pending runs). */
  highlights: AgentHighlights
  /**
   * Puts the editor's current caret into awareness. y-monaco only publishes on caret moves, so without this a
   * person who opens a file shows no cursor there (and cannot be followed) until they click or type.
   */
  publishCaret(editor: Editor): void
  destroy(): void
}

/**
 * Binds a synced session to a new Monaco model. The model starts with the shared text, so y-monaco's
 * constructor has nothing to replace (it overwrites the model with the Y.Text: binding before the first sync
 * would wipe the file on screen).
 */
export function bindFile(editor: Editor, session: DocSession, path: string): FileBinding {
  const uri = modelUri(path)
  // The TypeScript worker's copy of a file that was not open gives way to the shared document's model.
  monaco.editor.getModel(uri)?.dispose()
  registerBoundModel(uri, session.docName)
  const model = monaco.editor.createModel(session.text.toString(), languageForPath(path), uri)
  const tracked = trackedEditor(editor)
  const binding = new MonacoBinding(session.text, model, new Set([tracked.editor]), session.awareness)
  const undo = new Y.UndoManager(session.text, { trackedOrigins: new Set([binding]), captureTimeout: 500 })
  const highlights = new AgentHighlights(session.doc, session.text, model)
  return {
    docName: session.docName,
    path,
    model,
    undo,
    highlights,
    publishCaret: (editor) => {
      const sel = editor.getModel() === model ? editor.getSelection() : null
      if (!sel) return
      const at = (pos: monaco.IPosition) =>
        Y.createRelativePositionFromTypeIndex(session.text, model.getOffsetAt(pos))
      const ltr = sel.getDirection() === monaco.SelectionDirection.LTR
      const [anchor, head] = ltr
        ? [sel.getStartPosition(), sel.getEndPosition()]
        : [sel.getEndPosition(), sel.getStartPosition()]
      session.awareness.setLocalStateField('selection', { anchor: at(anchor), head: at(head) })
    },
    destroy: () => {
      highlights.destroy()
      undo.destroy()
      binding.destroy()
      tracked.dispose()
      unregisterBoundModel(uri)
      model.dispose()
    },
  }
}

/**
 * y-monaco registers `onDidChangeCursorSelection` on the editor and never disposes it (0.1.6), so with one
 * editor and a binding per tab every closed tab would leave a listener behind. It gets a view of the editor
 * whose subscriptions we record and dispose with the binding; everything else goes to the real editor.
 */
function trackedEditor(editor: Editor): { editor: Editor; dispose(): void } {
  const subscriptions: monaco.IDisposable[] = []
  const view = new Proxy(editor, {
    get(target, prop) {
      if (prop === 'onDidChangeCursorSelection') {
        return (listener: Parameters<Editor['onDidChangeCursorSelection']>[0]) => {
          const d = target.onDidChangeCursorSelection(listener)
          subscriptions.push(d)
          return d
        }
      }
      const value: unknown = Reflect.get(target, prop, target)
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
  return { editor: view, dispose: () => subscriptions.splice(0).forEach((d) => d.dispose()) }
}
