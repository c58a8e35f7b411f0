import { useEffect, useRef } from 'react'
import { api } from '../api/trpc'
import { shortTime } from '../comments/comments-model'
import type { FileBinding } from '../editor/file-binding'
import { monaco } from '../editor/monaco-setup'
import { blameRuns, type BlameRun } from './history-model'

/** Blame is re-read this long after the last change (typing by anyone), not on every keystroke. */
export const BLAME_DEBOUNCE_MS = 1_000

export interface BlameOptions {
  editor: monaco.editor.IStandaloneCodeEditor | null
  binding: FileBinding | undefined
  projectId: string
  path: string | null
  enabled: boolean
  /** Opens the history at the version closest to a blamed time (a click on a label). */
  onOpenAt: (at: string) => void
}

const LABEL_CLASS = 'blame-label'

/** A label at the end of the first line of each run (where it hides no code), a gutter bar over the run. */
function decorations(
  model: monaco.editor.ITextModel,
  runs: BlameRun[],
): monaco.editor.IModelDeltaDecoration[] {
  return runs.flatMap((r) => {
    if (r.line > model.getLineCount()) return []
    const end = model.getLineMaxColumn(r.line)
    const when = r.at ? shortTime(r.at) : 'unknown time'
    const hover = { value: `Written by **${r.who}**, ${when}. Click the label to open the history there.` }
    const label = {
      range: new monaco.Range(r.line, end, r.line, end),
      options: {
        after: {
          content: ` ${r.who} · ${when} `,
          inlineClassName: LABEL_CLASS,
          cursorStops: monaco.editor.InjectedTextCursorStops.None,
        },
        hoverMessage: hover,
        showIfCollapsed: true,
        // Text typed at the end of the line goes inside the range, so the label stays after it.
        stickiness: monaco.editor.TrackedRangeStickiness.AlwaysGrowsWhenTypingAtEdges,
      },
    }
    const gutter = {
      range: new monaco.Range(r.line, 1, Math.min(r.line + r.length - 1, model.getLineCount()), 1),
      options: { isWholeLine: true, linesDecorationsClassName: 'blame-gutter', hoverMessage: hover },
    }
    return [gutter, label]
  })
}

/**
 * Blame in the editor while enabled: a label per run of lines (author and time) and a gutter bar, read from
 * `blame.get` and read again {@link BLAME_DEBOUNCE_MS} after the text last changed. A click on a label opens
 * the history at that time.
 */
export function useBlame(o: BlameOptions): void {
  const { editor, binding, projectId, path, enabled, onOpenAt } = o
  const runs = useRef<BlameRun[]>([])
  useEffect(() => {
    if (!editor || !binding || !path || !enabled) return
    const shown = editor.createDecorationsCollection()
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const read = () => {
      api.blame.get.query({ projectId, path }).then(
        (lines) => {
          if (!alive) return
          runs.current = blameRuns(lines)
          shown.set(decorations(binding.model, runs.current))
        },
        // A failed read keeps the last labels; the next change tries again.
        () => {},
      )
    }
    read()
    const changes = binding.model.onDidChangeContent(() => {
      clearTimeout(timer)
      timer = setTimeout(read, BLAME_DEBOUNCE_MS)
    })
    const clicks = editor.onMouseDown((e) => {
      const line = e.target.position?.lineNumber
      if (!line || !e.target.element?.closest(`.${LABEL_CLASS}`)) return
      const run = runs.current.find((r) => r.line === line)
      if (run?.at) onOpenAt(run.at)
    })
    return () => {
      alive = false
      clearTimeout(timer)
      changes.dispose()
      clicks.dispose()
      shown.clear()
    }
  }, [editor, binding, projectId, path, enabled, onOpenAt])
}
