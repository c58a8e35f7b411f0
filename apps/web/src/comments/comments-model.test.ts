import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { COMMENTS_EVENT } from '@mimiverse/shared'
import { encodePosition, filterThreads, isCommentsEvent, resolveThread, type Thread } from './comments-model'

const thread = (over: Partial<Thread>): Thread =>
  ({ status: 'open', path: 'a.ts', author: { id: 'u1', name: 'Ann' }, ...over }) as Thread

describe('comments model', () => {
  it('filters by status, file and author', () => {
    const list = [
      thread({ id: '1' }),
      thread({ id: '2', status: 'resolved' }),
      thread({ id: '3', path: 'b.ts', author: { id: 'u2', name: 'Bo' } }),
    ]
    expect(filterThreads(list, { status: 'open', path: null, author: null }).map((t) => t.id)).toEqual([
      '1',
      '3',
    ])
    expect(filterThreads(list, { status: null, path: 'a.ts', author: 'u1' }).map((t) => t.id)).toEqual([
      '1',
      '2',
    ])
  })

  it('knows its project’s events and ignores anything else', () => {
    expect(isCommentsEvent(JSON.stringify({ type: COMMENTS_EVENT, projectId: 'p' }), 'p')).toBe(true)
    expect(isCommentsEvent(JSON.stringify({ type: COMMENTS_EVENT, projectId: 'q' }), 'p')).toBe(false)
    expect(isCommentsEvent('not json', 'p')).toBe(false)
  })

  it('resolves an anchor in the local document as it moves, and not once its code is deleted', () => {
    const doc = new Y.Doc()
    const text = doc.getText('content')
    text.insert(0, 'one\ntwo\n')
    const t = thread({ anchor: { from: encodePosition(text, 4, 0), to: encodePosition(text, 7, -1) } })
    text.insert(0, 'zero\n')
    text.insert(text.length, 'after')
    expect(resolveThread(doc, t)).toEqual({ from: 9, to: 12 })
    text.delete(9, 3)
    expect(resolveThread(doc, t)).toBeNull()
  })
})
