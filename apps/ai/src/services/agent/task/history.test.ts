import type { Message } from 'ollama'
import { describe, expect, it } from 'vitest'
import { compactHistory } from './history'

describe('compactHistory', () => {
  it('shortens only old, long tool results, once, and says so', () => {
    const long = 'x'.repeat(50)
    const messages: Message[] = [
      { role: 'user', content: long },
      { role: 'tool', content: long },
      { role: 'assistant', content: long },
      { role: 'tool', content: 'short' },
      { role: 'tool', content: long },
    ]
    compactHistory(messages, 1, 10)
    expect(messages[0]!.content).toBe(long)
    expect(messages[1]!.content).toMatch(/^x{10}\n… \(cut: an older tool result/)
    expect(messages[2]!.content).toBe(long)
    expect(messages[3]!.content).toBe('short')
    expect(messages[4]!.content).toBe(long)
    const once = messages[1]!.content
    compactHistory(messages, 1, 10)
    expect(messages[1]!.content).toBe(once)
  })
})
