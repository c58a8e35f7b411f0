import type { Message } from 'ollama'

/**
 * Keeps a long run's conversation within the model's context: before each turn, tool results older than the
 * last `KEEP_RESULTS` are shortened to their first `OLD_RESULT_CHARS` characters (the model has read them; it can
 * call the tool again), saying so. Recent results, the model's own messages and the task stay whole.
 */
export const KEEP_RESULTS = 8
export const OLD_RESULT_CHARS = 1_000
const NOTE =
  "\n… (cut: an older tool result, shortened to keep the conversation within the model's context; call the tool again to see it whole)"

export function compactHistory(messages: Message[], keep = KEEP_RESULTS, chars = OLD_RESULT_CHARS): void {
  const results = messages.filter((m) => m.role === 'tool')
  for (const m of results.slice(0, Math.max(0, results.length - keep))) {
    if (m.content.length > chars && !m.content.endsWith(NOTE))
      m.content = `${m.content.slice(0, chars)}${NOTE}`
  }
}
