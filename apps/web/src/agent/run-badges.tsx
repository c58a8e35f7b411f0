import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import type { FileBinding } from '../editor/file-binding'
import type { monaco } from '../editor/monaco-setup'
import { useAnchoredPosition } from '../editor/use-anchored-position'
import { useAgent } from './agent-context'
import { anchorOf } from './agent-decorations'
import type { AgentHighlights } from './agent-highlights'
import type { ResolvedMark } from './agent-marks'
import { RunActions } from './run-actions'

/** The runs marked in a file, re-read after each highlight recompute. */
function useMarks(highlights: AgentHighlights): ResolvedMark[] {
  const subscribe = useCallback((l: () => void) => highlights.subscribe(l), [highlights])
  return useSyncExternalStore(subscribe, () => highlights.current())
}

/**
 * A badge over the first change of each agent run in the shown file: who asked, whether the agent is still
 * editing, and Accept / Undo (or Cancel while running) for people who may edit.
 */
export function RunBadges(props: { editor: monaco.editor.IStandaloneCodeEditor; binding: FileBinding }) {
  const marks = useMarks(props.binding.highlights)
  const { runs, refresh } = useAgent()
  // The marks change when a run starts, finishes, or is accepted or undone (its entry goes), possibly by someone
  // else: read the list again then, and when a mark names a run the list does not know.
  const key = marks.map((m) => `${m.runId}:${m.state}`).join()
  const known = useMemo(() => new Map(runs?.map((r) => [r.runId, r.state]) ?? []), [runs])
  const seen = useRef(key)
  useEffect(() => {
    const changed = seen.current !== key
    seen.current = key
    if (changed || marks.some((m) => known.get(m.runId) !== m.state)) refresh()
    // Only when the marks change: a list that cannot be read must not be asked again on every render.
  }, [key])
  return marks.map((m) => (
    <RunBadge key={m.runId} editor={props.editor} model={props.binding.model} mark={m} />
  ))
}

function RunBadge(props: {
  editor: monaco.editor.IStandaloneCodeEditor
  model: monaco.editor.ITextModel
  mark: ResolvedMark
}) {
  const { mark } = props
  // Recomputed on every render (a line/column lookup); the hook below re-measures only when it moves.
  const point = useAnchoredPosition(props.editor, anchorOf(props.model, mark))
  if (!point) return null
  // On the first changed line, at the right edge of the text: over the end of long lines only, never over
  // the text people are typing at the left.
  return (
    <div
      className={`agent-badge ${mark.state}`}
      data-testid="agent-run-badge"
      data-run={mark.runId}
      style={{ top: point.top, right: point.right + 12 }}
    >
      <span className="agent-badge-name">✦ {AGENT_NAME}</span>
      <span className="agent-badge-text">
        {mark.state === 'running' ? 'editing' : 'edited'} for {mark.requester}
      </span>
      <RunActions runId={mark.runId} run={{ state: mark.state, review: 'pending' }} />
    </div>
  )
}
