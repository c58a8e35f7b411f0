import type { CollabConnection } from '../collab/connection'
import { bindFile, type FileBinding } from './file-binding'
import type { monaco } from './monaco-setup'

export interface OpenFile {
  docName: string
  path: string
}

/**
 * Keeps one binding per open file on one Monaco editor: opens sessions for new tabs, binds each after its first
 * sync (or once this browser's copy of it is loaded, offline), destroys bindings and sessions of closed tabs, and swaps models (with their view state) on tab switch.
 */
export class EditorBindings {
  private readonly bindings = new Map<string, FileBinding>()
  private readonly viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>()
  private shown: string | null = null

  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly connection: CollabConnection,
  ) {}

  /** Reconciles with the open tabs; call again whenever tabs or sync state change. */
  update(open: OpenFile[]): void {
    const wanted = new Set(open.map((f) => f.docName))
    for (const docName of [...this.bindings.keys()]) if (!wanted.has(docName)) this.unbind(docName)
    for (const s of this.connection.all()) if (!wanted.has(s.docName)) this.connection.close(s.docName)
    for (const file of open) {
      const session = this.connection.open(file.docName)
      // A renamed file is bound again: its model's URI is its path.
      const bound = this.bindings.get(file.docName)
      if (bound && bound.path !== file.path) this.unbind(file.docName)
      if (this.bindings.has(file.docName)) continue
      if (session.isReady()) this.bindings.set(file.docName, bindFile(this.editor, session, file.path))
    }
  }

  get(docName: string | null): FileBinding | undefined {
    return docName ? this.bindings.get(docName) : undefined
  }

  /** Shows a file (or nothing); returns whether it is bound yet. Only the shown file publishes a cursor. */
  show(docName: string | null): boolean {
    const binding = this.get(docName)
    const target = binding?.model ?? null
    if (this.editor.getModel() !== target) {
      if (this.shown) this.viewStates.set(this.shown, this.editor.saveViewState())
      this.editor.setModel(target)
      const state = docName ? this.viewStates.get(docName) : undefined
      if (state) this.editor.restoreViewState(state)
      this.shown = binding ? docName : null
      binding?.publishCaret(this.editor)
    }
    for (const s of this.connection.all()) {
      const published = s.awareness.getLocalState()?.selection != null
      if (published && s.docName !== this.shown) s.awareness.setLocalStateField('selection', null)
    }
    return binding !== undefined
  }

  destroy(): void {
    this.editor.setModel(null)
    for (const docName of [...this.bindings.keys()]) this.unbind(docName)
  }

  private unbind(docName: string): void {
    if (this.shown === docName) {
      this.editor.setModel(null)
      this.shown = null
    }
    this.bindings.get(docName)?.destroy()
    this.bindings.delete(docName)
    this.viewStates.delete(docName)
  }
}
