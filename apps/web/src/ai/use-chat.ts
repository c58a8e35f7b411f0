import { useCallback, useEffect, useReducer, useRef } from 'react'
import { clipInstruction, rangeFromLines, type AgentEditInput } from '../agent/edit-request'
import { problemMessage } from '../api/errors'
import { aiApi } from './ai-client'
import { chatReducer, conversationFor, initialChatState, isStreaming, type ChatMessage } from './chat-state'
import { contextLabel, type EditorContext } from './use-editor-context'

export interface Chat {
  messages: ChatMessage[]
  streaming: boolean
  send: (question: string, context: EditorContext | null) => void
  /** Asks the agent to edit the context's file (its attached lines as the range) through `start`. */
  sendEdit: (
    instruction: string,
    context: EditorContext,
    start: (input: AgentEditInput) => Promise<string>,
  ) => void
  /** Aborts the answer being streamed; the server closes the model request. */
  stop: () => void
  clear: () => void
}

/**
 * The conversation of one project: sends a question with the editor context, feeds the streamed events into
 * the reducer, and aborts on stop or unmount. `onFailure` runs after a call failed (the panel re-checks models).
 */
export function useChat(projectId: string, onFailure: () => void): Chat {
  const [state, dispatch] = useReducer(chatReducer, initialChatState)
  const abort = useRef<AbortController | null>(null)
  const messages = useRef(state.messages)
  messages.current = state.messages
  const streaming = isStreaming(state)

  useEffect(() => () => abort.current?.abort(), [])

  const send = useCallback(
    (question: string, context: EditorContext | null) => {
      if (abort.current) return
      const ac = new AbortController()
      abort.current = ac
      const input = {
        projectId,
        messages: conversationFor(messages.current, question),
        docName: context?.docName,
        selection: context?.selection,
      }
      dispatch({ type: 'send', content: question, attached: context ? contextLabel(context) : undefined })
      void (async () => {
        try {
          const stream = await aiApi.ai.chat.mutate(input, { signal: ac.signal })
          for await (const event of stream) {
            if (ac.signal.aborted) break
            dispatch(event.type === 'done' ? { type: 'done' } : event)
          }
          dispatch(ac.signal.aborted ? { type: 'stopped' } : { type: 'done' })
        } catch (e: unknown) {
          if (ac.signal.aborted) return dispatch({ type: 'stopped' })
          dispatch({ type: 'failed', message: problemMessage(e) })
          onFailure()
        } finally {
          abort.current = null
        }
      })()
    },
    [projectId, onFailure],
  )
  const stop = useCallback(() => {
    abort.current?.abort()
    dispatch({ type: 'stopped' })
  }, [])
  const sendEdit = useCallback<Chat['sendEdit']>((instruction, context, start) => {
    if (abort.current) return
    dispatch({ type: 'send', content: instruction, attached: contextLabel(context), kind: 'edit' })
    const range = rangeFromLines(context.selection)
    start({ docName: context.docName, instruction: clipInstruction(instruction), range }).then(
      (runId) => dispatch({ type: 'run', runId }),
      (e: unknown) => dispatch({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
    )
  }, [])
  const clear = useCallback(() => dispatch({ type: 'clear' }), [])
  return { messages: state.messages, streaming, send, sendEdit, stop, clear }
}
