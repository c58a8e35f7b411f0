/**
 * The chat's state machine, pure so it can be tested without a browser. A turn goes
 * `send` → (`context`) → `text`… → `done` | `stopped` | `failed`; only one answer streams at a time. An edit
 * turn (`send` with kind `edit`) goes `send` → `run` | `failed`: its answer is the agent run it started.
 */

/** Limits of `ai.chat` (apps/ai/src/schemas.ts): older messages are left out to stay within them. */
export const MAX_CHAT_MESSAGES = 50
export const MAX_CONVERSATION_CHARS = 120_000
export const MAX_MESSAGE_CHARS = 32_000

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'error'

/** What the server put into the prompt besides the conversation (the stream's `context` event). */
export interface AnswerContext {
  files: string[]
  missing: string[]
  codebase: string
}

export interface ChatMessage {
  id: number
  role: 'user' | 'assistant'
  content: string
  status: MessageStatus
  /** User messages: the label of the attached file and selection ("main.ts · lines 3–9"). */
  attached?: string
  context?: AnswerContext
  error?: string
  /** `edit`: the turn asked the agent to edit the file (the answer is a run, not text; never sent as chat). */
  kind?: 'edit'
  /** The agent run an edit turn started. */
  runId?: string
}

export interface ChatState {
  messages: ChatMessage[]
  nextId: number
}

export type ChatAction =
  | { type: 'send'; content: string; attached?: string; kind?: 'edit' }
  | { type: 'run'; runId: string }
  | ({ type: 'context' } & AnswerContext)
  | { type: 'text'; text: string }
  | { type: 'done' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string }
  | { type: 'clear' }

export const initialChatState: ChatState = { messages: [], nextId: 1 }

export function isStreaming(state: ChatState): boolean {
  return state.messages.at(-1)?.status === 'streaming'
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'send': {
      if (isStreaming(state)) return state
      const { nextId: id } = state
      const user: ChatMessage = {
        id,
        role: 'user',
        content: action.content,
        status: 'done',
        attached: action.attached,
        kind: action.kind,
      }
      const answer: ChatMessage = {
        id: id + 1,
        role: 'assistant',
        content: '',
        status: 'streaming',
        kind: action.kind,
      }
      return { messages: [...state.messages, user, answer], nextId: id + 2 }
    }
    case 'context':
      return updateStreaming(state, () => ({
        context: { files: action.files, missing: action.missing, codebase: action.codebase },
      }))
    case 'text':
      return updateStreaming(state, (m) => ({ content: m.content + action.text }))
    case 'run':
      return updateStreaming(state, () => ({ status: 'done', runId: action.runId }))
    case 'done':
      return updateStreaming(state, () => ({ status: 'done' }))
    case 'stopped':
      return updateStreaming(state, () => ({ status: 'stopped' }))
    case 'failed':
      return updateStreaming(state, () => ({ status: 'error', error: action.message }))
    case 'clear':
      return isStreaming(state) ? state : { ...initialChatState, nextId: state.nextId }
  }
}

/** Applies a change to the answer being streamed; a late event after stop or failure changes nothing. */
function updateStreaming(state: ChatState, change: (m: ChatMessage) => Partial<ChatMessage>): ChatState {
  const last = state.messages.at(-1)
  if (!last || last.status !== 'streaming') return state
  return { ...state, messages: [...state.messages.slice(0, -1), { ...last, ...change(last) }] }
}

/**
 * The conversation to send: finished turns (answers that failed or came back empty are left out, together
 * with the question they answered) and the new question, trimmed from the front to the server's limits.
 */
export function conversationFor(
  messages: ChatMessage[],
  question: string,
): { role: 'user' | 'assistant'; content: string }[] {
  const turns: { role: 'user' | 'assistant'; content: string }[] = []
  for (let i = 0; i + 1 < messages.length; i += 2) {
    const [q, a] = [messages[i], messages[i + 1]]
    if (q?.role !== 'user' || a?.role !== 'assistant' || !a.content || a.status === 'error') continue
    if (a.kind === 'edit') continue
    turns.push({ role: 'user', content: q.content }, { role: 'assistant', content: clip(a.content) })
  }
  turns.push({ role: 'user', content: clip(question) })
  let chars = turns.reduce((n, m) => n + m.content.length, 0)
  while (turns.length > 1 && (turns.length > MAX_CHAT_MESSAGES || chars > MAX_CONVERSATION_CHARS)) {
    // Drop whole turns (question and answer) so the conversation still alternates.
    for (const m of turns.splice(0, 2)) chars -= m.content.length
  }
  return turns
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE_CHARS ? s.slice(0, MAX_MESSAGE_CHARS) : s
}
