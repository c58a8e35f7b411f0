import { describe, expect, it } from 'vitest'
import {
  chatReducer,
  conversationFor,
  initialChatState,
  isStreaming,
  MAX_CHAT_MESSAGES,
  type ChatAction,
  type ChatState,
} from './chat-state'

const run = (actions: ChatAction[], from: ChatState = initialChatState) => actions.reduce(chatReducer, from)

describe('chatReducer', () => {
  it('streams an answer: send, context, text pieces, done', () => {
    const s = run([
      { type: 'send', content: 'why?', attached: 'main.ts · lines 3–9' },
      { type: 'context', files: ['main.ts'], missing: [], codebase: 'not-requested' },
      { type: 'text', text: 'Because' },
    ])
    expect(isStreaming(s)).toBe(true)
    expect(s.messages.map((m) => [m.role, m.content, m.status])).toEqual([
      ['user', 'why?', 'done'],
      ['assistant', 'Because', 'streaming'],
    ])
    const done = run([{ type: 'text', text: ' so.' }, { type: 'done' }], s)
    expect(done.messages[1]).toMatchObject({
      content: 'Because so.',
      status: 'done',
      context: { files: ['main.ts'] },
    })
    expect(done.messages[0]?.attached).toBe('main.ts · lines 3–9')
    expect(isStreaming(done)).toBe(false)
  })

  it('keeps what arrived when stopped, and ignores late pieces', () => {
    const s = run([
      { type: 'send', content: 'q' },
      { type: 'text', text: 'part' },
      { type: 'stopped' },
      { type: 'text', text: 'late' },
      { type: 'done' },
    ])
    expect(s.messages[1]).toMatchObject({ content: 'part', status: 'stopped' })
  })

  it('records the server message on failure; a new question can follow', () => {
    const s = run([
      { type: 'send', content: 'q' },
      { type: 'failed', message: 'No chat model' },
      { type: 'send', content: 'again' },
    ])
    expect(s.messages[1]).toMatchObject({ status: 'error', error: 'No chat model' })
    expect(s.messages.map((m) => m.id)).toEqual([1, 2, 3, 4])
  })

  it('refuses a second question or a clear while an answer streams', () => {
    const s = run([{ type: 'send', content: 'a' }])
    expect(chatReducer(s, { type: 'send', content: 'b' })).toBe(s)
    expect(chatReducer(s, { type: 'clear' })).toBe(s)
    expect(run([{ type: 'done' }, { type: 'clear' }], s).messages).toEqual([])
  })

  it('answers an edit turn with the run it started, and leaves edit turns out of the conversation', () => {
    const s = run([
      { type: 'send', content: 'rename x to y', attached: 'main.ts', kind: 'edit' },
      { type: 'run', runId: 'run-1' },
    ])
    expect(s.messages.map((m) => [m.role, m.kind, m.status, m.runId])).toEqual([
      ['user', 'edit', 'done', undefined],
      ['assistant', 'edit', 'done', 'run-1'],
    ])
    const failed = run([
      { type: 'send', content: 'again', kind: 'edit' },
      { type: 'failed', message: 'the agent is not available yet' },
    ])
    expect(failed.messages[1]).toMatchObject({ status: 'error', error: 'the agent is not available yet' })
    const withAnswer = run(
      [{ type: 'send', content: 'why?' }, { type: 'text', text: 'because' }, { type: 'done' }],
      s,
    )
    expect(conversationFor(withAnswer.messages, 'next')).toEqual([
      { role: 'user', content: 'why?' },
      { role: 'assistant', content: 'because' },
      { role: 'user', content: 'next' },
    ])
  })
})

describe('conversationFor', () => {
  it('sends finished turns and the new question, leaving out failed or empty answers', () => {
    const s = run([
      { type: 'send', content: 'one' },
      { type: 'text', text: 'first' },
      { type: 'done' },
      { type: 'send', content: 'two' },
      { type: 'failed', message: 'x' },
      { type: 'send', content: 'three' },
      { type: 'stopped' },
    ])
    expect(conversationFor(s.messages, 'four')).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'first' },
      { role: 'user', content: 'four' },
    ])
  })

  it('drops the oldest turns to stay within the message limit', () => {
    let s = initialChatState
    for (let i = 0; i < 40; i++)
      s = run([{ type: 'send', content: `q${i}` }, { type: 'text', text: 'a' }, { type: 'done' }], s)
    const sent = conversationFor(s.messages, 'last')
    expect(sent.length).toBeLessThanOrEqual(MAX_CHAT_MESSAGES)
    expect(sent[0]).toEqual({ role: 'user', content: 'q16' })
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'last' })
  })
})
