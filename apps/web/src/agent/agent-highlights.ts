import type * as Y from 'yjs'
import { monaco } from '../editor/monaco-setup'
import { highlightRanges } from './agent-decorations'
import { agentRunsMap, resolveMarks, type ResolvedMark } from './agent-marks'

/**
 * Draws the agent's highlight in one file's Monaco model: the ranges of every `agentRuns` entry, recomputed
 * from their relative positions whenever the map or the text changes. Recomputing is a walk over a few
 * relative positions, batched to one per animation frame, so a burst of keystrokes or agent edits costs one
 * pass. Decorations live on the model (not an editor), so a file in a background tab is up to date when shown.
 */
export class AgentHighlights {
  private decorationIds: string[] = []
  private marks: ResolvedMark[] = []
  private frame: number | null = null
  private readonly listeners = new Set<() => void>()
  private readonly map: Y.Map<unknown>

  constructor(
    private readonly doc: Y.Doc,
    private readonly text: Y.Text,
    private readonly model: monaco.editor.ITextModel,
  ) {
    this.map = agentRunsMap(doc)
    this.map.observeDeep(this.schedule)
    this.text.observe(this.schedule)
    this.render()
  }

  /** The runs marked in this file, with their current offsets. */
  current(): ResolvedMark[] {
    return this.marks
  }

  /** Called after each recompute (the run widgets follow it). */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  destroy(): void {
    this.map.unobserveDeep(this.schedule)
    this.text.unobserve(this.schedule)
    if (this.frame !== null) cancelAnimationFrame(this.frame)
    this.listeners.clear()
    if (!this.model.isDisposed()) this.model.deltaDecorations(this.decorationIds, [])
  }

  private readonly schedule = () => {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = null
      this.render()
    })
  }

  private render(): void {
    if (this.model.isDisposed()) return
    this.marks = resolveMarks(this.doc, this.text)
    const decorations = highlightRanges(this.model, this.marks).map(({ range, state, hover }) => ({
      range,
      options: {
        className: state === 'running' ? 'agent-highlight running' : 'agent-highlight',
        hoverMessage: { value: hover },
        stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
        overviewRuler: { color: '#c678dd', position: monaco.editor.OverviewRulerLane.Right },
        minimap: { color: '#c678dd', position: monaco.editor.MinimapPosition.Inline },
      },
    }))
    this.decorationIds = this.model.deltaDecorations(this.decorationIds, decorations)
    for (const l of this.listeners) l()
  }
}
