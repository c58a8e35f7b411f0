import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { monaco } from '../editor/monaco-setup'
import { resolveThread, type Thread } from './comments-model'

/** A thread's lines in the shown file, as the local document has them now. */
export interface PlacedThread {
  thread: Thread
  startLine: number
  endLine: number
}

/**
 * Gutter marks and a faint background for the open threads of one file, resolved against the client's own
 * document (so they move with every keystroke, not only when the list is read again). Model decorations, as
 * the agent's highlights are; recomputed once per animation frame after text changes.
 */
export function useCommentDecorations(
  model: monaco.editor.ITextModel | null,
  doc: Y.Doc | null,
  threads: Thread[],
): PlacedThread[] {
  const [placed, setPlaced] = useState<PlacedThread[]>([])
  useEffect(() => {
    if (!model || !doc) return
    let ids: string[] = []
    let frame: number | null = null
    const render = () => {
      frame = null
      if (model.isDisposed()) return
      const now = threads.flatMap((thread) => {
        const r = resolveThread(doc, thread)
        if (!r) return []
        const start = model.getPositionAt(r.from)
        const end = model.getPositionAt(r.to)
        return [
          {
            thread,
            startLine: start.lineNumber,
            endLine: end.lineNumber,
            range: monaco.Range.fromPositions(start, end),
          },
        ]
      })
      ids = model.deltaDecorations(
        ids,
        now.map((p) => ({
          range: p.range,
          options: {
            className: 'comment-range',
            glyphMarginClassName: 'comment-glyph',
            stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
          },
        })),
      )
      setPlaced(now.map(({ thread, startLine, endLine }) => ({ thread, startLine, endLine })))
    }
    const schedule = () => {
      frame ??= requestAnimationFrame(render)
    }
    render()
    const sub = model.onDidChangeContent(schedule)
    return () => {
      sub.dispose()
      if (frame !== null) cancelAnimationFrame(frame)
      if (!model.isDisposed()) model.deltaDecorations(ids, [])
    }
  }, [model, doc, threads])
  return placed
}
