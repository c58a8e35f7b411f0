import { useCallback, useEffect, useState } from 'react'
import { problemMessage } from '../api/errors'
import { aiApi, type ModelsReport } from './ai-client'

/** Why chat cannot answer now, in words that say what to do; null when the chat model is ready. */
export function chatProblem(report: ModelsReport): string | null {
  const chat = report.tasks.find((t) => t.task === 'chat')
  if (!chat || chat.status === 'ready') return null
  if (chat.status === 'missing') {
    return `The chat model ${chat.model} is not installed.${chat.hint ? ` Run: ${chat.hint}.` : ''}`
  }
  const hint = chat.hint ? ` ${chat.hint.charAt(0).toUpperCase()}${chat.hint.slice(1)}.` : ''
  return `No chat model is reachable.${hint}`
}

export interface ModelsState {
  /** The banner text, or null when chat should work (or the check has not answered yet). */
  problem: string | null
  /** Asks `ai.models` again (after a failed call). */
  refresh: () => void
}

/** Asks the AI service for the chat model's status while `active` (the panel is open). */
export function useModels(active: boolean): ModelsState {
  const [problem, setProblem] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  useEffect(() => {
    if (!active) return
    let current = true
    aiApi.ai.models.query().then(
      (report) => current && setProblem(chatProblem(report)),
      (e: unknown) => current && setProblem(`The AI service is not reachable: ${problemMessage(e)}`),
    )
    return () => {
      current = false
    }
  }, [active, round])
  return { problem, refresh: useCallback(() => setRound((r) => r + 1), []) }
}
