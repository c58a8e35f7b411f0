import { useEffect, useState } from 'react'
import type { CollabConnection } from '../collab/connection'
import { EditorBindings, type OpenFile } from './editor-bindings'
import { docNameOfUri, type FileBinding } from './file-binding'
import { monaco } from './monaco-setup'

export interface BindingsState {
  /** The binding of the shown file, once its document has synced. */
  active: FileBinding | undefined
}

/**
 * Bridges React state (open tabs, active tab) to EditorBindings, and routes Ctrl/Cmd+Z and redo to the shown
 * file's Y.UndoManager instead of Monaco's own undo stack.
 */
export function useEditorBindings(opts: {
  editor: monaco.editor.IStandaloneCodeEditor | null
  connection: CollabConnection | null
  open: OpenFile[]
  active: string | null
}): BindingsState {
  const { editor, connection, open, active } = opts
  const [bindings, setBindings] = useState<EditorBindings | null>(null)
  const [shown, setShown] = useState<FileBinding | undefined>(undefined)

  useEffect(() => {
    if (!editor || !connection) return
    const b = new EditorBindings(editor, connection)
    setBindings(b)
    const undo = (redo: boolean) => () => {
      const m = b.get(activeDoc(editor))?.undo
      if (redo) m?.redo()
      else m?.undo()
    }
    const { KeyMod, KeyCode } = monaco
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyZ, undo(false))
    editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, undo(true))
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyY, undo(true))
    return () => {
      b.destroy()
      setBindings(null)
    }
  }, [editor, connection])

  useEffect(() => {
    if (!bindings || !connection) return
    // Reconciles after tab changes and after connection events (a file finishing its first sync gets bound).
    // Coalesced into one microtask: reconciling opens and closes sessions, which emit events themselves.
    let scheduled = false
    let stopped = false
    const reconcile = () => {
      scheduled = false
      if (stopped) return
      bindings.update(open)
      bindings.show(active)
      setShown(bindings.get(active))
    }
    const schedule = () => {
      if (scheduled) return
      scheduled = true
      queueMicrotask(reconcile)
    }
    reconcile()
    const off = connection.subscribe(schedule)
    return () => {
      stopped = true
      off()
    }
  }, [bindings, connection, open, active])

  return { active: shown }
}

/** The document name of the editor's current model. */
function activeDoc(editor: monaco.editor.IStandaloneCodeEditor): string | null {
  const uri = editor.getModel()?.uri
  return uri ? docNameOfUri(uri) : null
}
