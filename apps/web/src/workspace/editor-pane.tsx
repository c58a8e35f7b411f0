import type { ReactNode } from 'react'
import { CodeEditor } from '../editor/code-editor'
import type { monaco } from '../editor/monaco-setup'
import { TabsBar, type TabInfo } from '../ui/tabs-bar'

export interface EditorPaneProps {
  tabs: TabInfo[]
  active: string | null
  onShow: (docName: string) => void
  onClose: (docName: string) => void
  notice: string | null
  onDismissNotice: () => void
  /** Whether the active file is bound (synced and shown); until then a placeholder covers the editor. */
  bound: boolean
  readOnly: boolean
  onMount: (editor: monaco.editor.IStandaloneCodeEditor) => void
  /** Drawn over the editor (the agent's prompt and run badges), positioned by its children. */
  overlay?: ReactNode
}

/** Tabs, a notice line, and the one Monaco editor (always mounted; models are swapped, not editors). */
export function EditorPane(props: EditorPaneProps) {
  const activePath = props.tabs.find((t) => t.docName === props.active)?.path
  return (
    <section className="editor-area">
      <TabsBar tabs={props.tabs} active={props.active} onShow={props.onShow} onClose={props.onClose} />
      {props.notice && (
        <div className="notice" role="status">
          {props.notice}
          <button className="ghost icon" aria-label="Dismiss" onClick={props.onDismissNotice}>
            ×
          </button>
        </div>
      )}
      <div className="editor-host" data-testid="editor-host" data-bound={props.bound ? 'true' : 'false'}>
        <CodeEditor readOnly={props.readOnly} onMount={props.onMount} />
        {props.bound && props.overlay}
        {!props.bound && (
          <div className="editor-empty">
            {props.active ? (
              <p>Connecting to {activePath ?? 'the file'}…</p>
            ) : (
              <EmptyState readOnly={props.readOnly} />
            )}
          </div>
        )}
      </div>
    </section>
  )
}

function EmptyState({ readOnly }: { readOnly: boolean }) {
  return (
    <div className="empty-state">
      <h2>No file open</h2>
      <p className="muted">
        {readOnly
          ? 'Pick a file on the left, or follow someone from the People list.'
          : 'Pick a file on the left, or create one with +.'}
      </p>
    </div>
  )
}
