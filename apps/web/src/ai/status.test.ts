import { describe, expect, it } from 'vitest'
import type { ModelsReport } from './ai-client'
import { contextLabel } from './use-editor-context'
import { chatProblem } from './use-models'

const report = (chat: Partial<ModelsReport['tasks'][number]>): ModelsReport => ({
  tasks: [
    {
      task: 'chat',
      model: 'qwen2.5-coder:7b',
      backend: 'ollama',
      servedBy: 'qwen2.5-coder:7b',
      status: 'ready',
      ...chat,
    },
  ],
  backends: {
    ollama: { breaker: 'closed', reachable: true, models: [] },
    triton: null,
  },
})

describe('chatProblem', () => {
  it('is null when the chat model is ready', () => {
    expect(chatProblem(report({}))).toBeNull()
  })

  it("says no model is reachable and passes on the server's hint", () => {
    const hint = 'start Ollama (docker compose up ollama), then ollama pull qwen2.5-coder:7b'
    expect(chatProblem(report({ status: 'unreachable', hint }))).toBe(
      'No chat model is reachable. Start Ollama (docker compose up ollama), then ollama pull qwen2.5-coder:7b.',
    )
  })

  it('names a model that is not pulled', () => {
    expect(chatProblem(report({ status: 'missing', hint: 'ollama pull qwen2.5-coder:7b' }))).toBe(
      'The chat model qwen2.5-coder:7b is not installed. Run: ollama pull qwen2.5-coder:7b.',
    )
  })
})

describe('contextLabel', () => {
  it.each([
    [undefined, 'main.ts'],
    [{ text: 'x', startLine: 4, endLine: 4 }, 'main.ts · line 4'],
    [{ text: 'x', startLine: 3, endLine: 9 }, 'main.ts · lines 3–9'],
  ])('%j -> %s', (selection, label) => {
    expect(contextLabel({ docName: 'p/f', path: 'src/main.ts', selection })).toBe(label)
  })
})
