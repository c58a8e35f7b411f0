import { useCallback, useState, type KeyboardEvent } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import { useAgent } from '../agent/agent-context'
import { monaco } from '../editor/monaco-setup'
import { TaskCard } from '../agent/task-card'
import { MessageList } from './message-list'
import { useChat } from './use-chat'
import { contextLabel, useEditorContext } from './use-editor-context'
import { useModels } from './use-models'

export interface ChatPanelProps {
  /** Closed, the panel is hidden but keeps its conversation (and any answer still streaming). */
  open: boolean
  projectId: string
  editor: monaco.editor.IStandaloneCodeEditor | null
  /** The active file, sent as context with each question. */
  file: { docName: string; path: string } | null
  /** Whether code may be inserted into the editor (false for reviewers: their editor is read-only). */
  canInsert: boolean
  onClose: () => void
}

/** The AI chat, docked right: a banner when no model answers, the conversation, the context chip, the input. */
export function ChatPanel({ open, projectId, editor, file, canInsert, onClose }: ChatPanelProps) {
  const models = useModels(open)
  const chat = useChat(projectId, models.refresh)
  const context = useEditorContext(editor, file)
  const agent = useAgent()
  const [mode, setMode] = useState<ChatMode>('ask')
  const editing = mode === 'edit' && agent.canEdit
  const tasking = mode === 'task' && agent.canEdit
  const insert = useCallback(
    (code: string) => {
      if (editor) insertAtCursor(editor, code)
    },
    [editor],
  )
  return (
    <aside className="chat-panel" aria-label="AI chat" hidden={!open}>
      <header className="chat-header">
        <h3 className="sidebar-heading">AI chat</h3>
        <span className="sidebar-actions">
          <button className="ghost small" onClick={chat.clear} disabled={chat.streaming}>
            Clear
          </button>
          <button className="ghost icon" aria-label="Close chat" title="Close (Ctrl+L)" onClick={onClose}>
            ×
          </button>
        </span>
      </header>
      {models.problem && (
        <div className="chat-banner" role="alert" data-testid="chat-banner">
          {models.problem}
        </div>
      )}
      <AgentTasks />
      <MessageList messages={chat.messages} onInsert={canInsert && context ? insert : undefined} />
      {agent.canEdit && <ModeSwitch mode={mode} onMode={setMode} />}
      <ChatInput
        streaming={chat.streaming}
        attached={context ? contextLabel(context) : null}
        editFile={editing ? (context?.path.split('/').pop() ?? null) : undefined}
        task={tasking}
        onSend={(q) => {
          if (tasking) {
            agent.task(q, context ? [context.path] : []).catch((e: unknown) => {
              agent.setNotice(e instanceof Error ? e.message : String(e))
            })
            return
          }
          if (!editing) return chat.send(q, context)
          if (context) chat.sendEdit(q, context, agent.edit)
        }}
        onStop={chat.stop}
      />
    </aside>
  )
}

type ChatMode = 'ask' | 'edit' | 'task'

/** The project's latest task runs, for everyone: their plan and steps as they happen. */
function AgentTasks() {
  const { tasks } = useAgent()
  const shown = (tasks ?? []).slice(0, SHOWN_TASKS).reverse()
  if (shown.length === 0) return null
  return (
    <section className="agent-tasks" aria-label={`${AGENT_NAME}'s tasks`}>
      {shown.map((t) => (
        <TaskCard key={t.runId} runId={t.runId} />
      ))}
    </section>
  )
}

/** Task runs shown in the chat (the runs panel lists the others). */
const SHOWN_TASKS = 3

/** Ask a question, or have the agent edit the open file with the message as its instruction. */
function ModeSwitch({ mode, onMode }: { mode: ChatMode; onMode: (m: ChatMode) => void }) {
  return (
    <div className="chat-mode" role="group" aria-label="Chat mode">
      <button
        className={mode === 'ask' ? 'small active' : 'ghost small'}
        aria-pressed={mode === 'ask'}
        onClick={() => onMode('ask')}
      >
        Ask
      </button>
      <button
        className={mode === 'edit' ? 'small active' : 'ghost small'}
        aria-pressed={mode === 'edit'}
        title={`${AGENT_NAME} edits the open file live (the attached lines, if any)`}
        onClick={() => onMode('edit')}
      >
        Edit file
      </button>
      <button
        className={mode === 'task' ? 'small active' : 'ghost small'}
        aria-pressed={mode === 'task'}
        title={`${AGENT_NAME} works on a task across the project: reads, edits, runs commands you approve`}
        onClick={() => onMode('task')}
      >
        Task
      </button>
    </div>
  )
}

function ChatInput(props: {
  streaming: boolean
  attached: string | null
  /** In edit mode: the file the agent will edit (null when no file is open); undefined when asking. */
  editFile?: string | null
  /** In task mode: the message is the task for the agent. */
  task?: boolean
  onSend: (question: string) => void
  onStop: () => void
}) {
  const [draft, setDraft] = useState('')
  const editing = props.editFile !== undefined
  const blocked = editing && props.editFile === null
  const send = () => {
    const q = draft.trim()
    if (!q || props.streaming || blocked) return
    props.onSend(q)
    setDraft('')
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      send()
    }
  }
  return (
    <div className="chat-input">
      {props.attached && (
        <span className="chat-chip small" data-testid="chat-context" title="Sent with your question">
          {props.attached}
        </span>
      )}
      <textarea
        aria-label={
          props.task
            ? `Give ${AGENT_NAME} a task`
            : editing
              ? `Tell ${AGENT_NAME} what to change`
              : 'Ask the AI'
        }
        placeholder={
          props.task
            ? 'A task for the project, e.g. add a --verbose flag and a test for it (Enter to start)'
            : !editing
              ? 'Ask about this code… (Enter to send, Shift+Enter for a new line)'
              : blocked
                ? 'Open a file for the agent to edit.'
                : `In ${props.editFile ?? 'this file'}, … (Enter to start the edit)`
        }
        value={draft}
        rows={3}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="chat-input-actions">
        {props.streaming ? (
          <button className="danger small" onClick={props.onStop}>
            Stop
          </button>
        ) : (
          <button className="primary small" onClick={send} disabled={!draft.trim() || blocked}>
            {props.task ? 'Start task' : editing ? 'Start edit' : 'Send'}
          </button>
        )}
      </div>
    </div>
  )
}

/**
 * Replaces the selection (or inserts at the caret) through the editor's edit API, so y-monaco sees a model
 * change and turns it into a CRDT edit like typing; the local Y.UndoManager can undo it.
 */
function insertAtCursor(editor: monaco.editor.IStandaloneCodeEditor, code: string): void {
  const selection = editor.getSelection()
  if (!selection || !editor.getModel() || editor.getOption(monaco.editor.EditorOption.readOnly)) return
  editor.pushUndoStop()
  editor.executeEdits('ai-chat', [{ range: selection, text: code, forceMoveMarkers: true }])
  editor.pushUndoStop()
  editor.focus()
}
