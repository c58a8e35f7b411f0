import type { Message, Tool } from 'ollama'
import type { Breaker } from '../../breaker'
import { guarded, unavailable } from '../../guard'
import type { AiMetrics } from '../../metrics'
import type { ChatTurn, OllamaBackend } from '../../ollama'

/** One turn of the chat model with tools (the agent's loop), behind the Ollama circuit breaker. */
export interface ToolChat {
  turn(messages: Message[], tools: Tool[], signal: AbortSignal): Promise<ChatTurn>
}

/** Most tokens the model may answer with in one turn. */
const MAX_TURN_TOKENS = 4096

export function createToolChat(o: {
  ollama: OllamaBackend
  breaker: Breaker
  model: string
  metrics: AiMetrics
}): ToolChat {
  return {
    async turn(messages, tools, signal) {
      try {
        const t = await guarded(o.breaker, () =>
          o.ollama.chatTurn({
            model: o.model,
            messages,
            tools,
            signal,
            options: { temperature: 0.2, num_predict: MAX_TURN_TOKENS },
          }),
        )
        o.metrics.requests.inc({ task: 'agent', model: o.model, backend: 'ollama', outcome: 'ok' })
        return t
      } catch (e: unknown) {
        const outcome = signal.aborted ? 'cancelled' : 'unavailable'
        o.metrics.requests.inc({ task: 'agent', model: o.model, backend: 'ollama', outcome })
        throw unavailable('chat', o.model, e)
      }
    },
  }
}
