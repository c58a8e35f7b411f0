import * as Y from 'yjs'
import { AGENT_RUNS_FIELD, AppError, CONTENT_FIELD, ErrorCode, type AgentRunMark } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { ChatService } from '../chat'
import { AnchoredEdit } from './anchored-edit'
import type { CollabSession } from './collab-session'
import { EditStreamParser, type EditEvent } from './edit-format'
import { locate, rangeOffsets, type Span } from './locate'
import { editPrompt } from './prompt'
import type { Outcome } from './run-store'
import { StreamingDiff, type DiffOp } from './streaming-diff'

/**
 * One agent run, from joining the document to leaving it:
 * 1. join the document as a collaborator and wait for sync; mark the run in `agentRuns` (state `running`);
 * 2. ask the chat model for old/new edit blocks and read its answer as it streams;
 * 3. for each block: locate the old text in the current text (inside the selection when there is one), then turn
 *    old→new into character edits as the new text streams and apply them in batches (one transaction each, the
 *    agent's origin) at most every `batchMs`, moving the agent's cursor along;
 * 4. mark the run `done` with the ranges it inserted, wait for the server's acknowledgement, leave.
 * A cancel or a model failure stops at a batch boundary: what was applied stays (highlighted, undoable), and
 * the outcome says what happened. The caller keeps `doc` and `undo` for a later Undo.
 */
export interface RunSpec {
  runId: string
  path: string
  instruction: string
  requesterName: string
  range: { startLine: number; startColumn?: number; endLine: number; endColumn?: number } | undefined
}

export interface RunDeps {
  doc: Y.Doc
  session: CollabSession
  chat: ChatService
  signal: AbortSignal
  /** Shortest time between two batches, in ms (the first change of a pause goes out at once). */
  batchMs: number
  log: Logger
  /** Origin of the agent's text changes (the run's UndoManager tracks only this). */
  origin: object
  /** Called with the milliseconds each batch took to apply. */
  onBatch?: (ms: number) => void
  /** Live counts, readable while the run works. */
  progress: { edits: number; inserted: number; deleted: number }
}

export async function executeRun(spec: RunSpec, deps: RunDeps): Promise<Outcome> {
  const { doc, session } = deps
  const text = doc.getText(CONTENT_FIELD)
  const marks = doc.getMap<AgentRunMark>(AGENT_RUNS_FIELD)
  const applied: AnchoredEdit[] = []
  const writeMark = (state: AgentRunMark['state']) =>
    marks.set(spec.runId, {
      runId: spec.runId,
      requester: spec.requesterName,
      state,
      ranges: applied.flatMap((e) => e.ranges()),
    })
  const batcher = new Batcher(deps, text, () => writeMark('running'))
  let blocks = 0
  const unmatched: string[] = []
  let answer = ''
  let stopped: Outcome | null = null
  let joined = false
  try {
    await session.synced()
    joined = true
    doc.transact(() => writeMark('running'), deps.origin)
    const window = spec.range ? anchorSpan(text, rangeOffsets(text.toString(), spec.range)) : null
    const current = text.toString()
    const selection =
      window && spec.range
        ? { text: sliceOf(text, window), startLine: spec.range.startLine, endLine: spec.range.endLine }
        : null
    const messages = editPrompt({ path: spec.path, text: current, instruction: spec.instruction, selection })
    const stream = await deps.chat.start(messages, deps.signal)
    const parser = new EditStreamParser()
    let block: { edit: AnchoredEdit; diff: StreamingDiff } | null = null
    const handle = (events: EditEvent[]) => {
      for (const e of events) {
        if (e.type === 'old') {
          blocks++
          const within = window ? resolveSpan(text, window) : undefined
          const span = locate(text.toString(), e.text, within)
          if (!span) {
            unmatched.push(e.text)
            block = null
            continue
          }
          const edit = new AnchoredEdit(text, span)
          block = { edit, diff: new StreamingDiff(text.toString().slice(span.start, span.end)) }
          applied.push(edit)
          deps.progress.edits++
        } else if (block) {
          batcher.add(block.edit, e.type === 'new' ? block.diff.push(e.text) : block.diff.end())
          if (e.type === 'end') block = null
        }
      }
    }
    let read = 0
    for await (const event of stream) {
      if (deps.signal.aborted) break
      if (event.type !== 'text') continue
      read += event.text.length
      if (read > MAX_ANSWER_CHARS) {
        throw new AppError(
          ErrorCode.PayloadTooLarge,
          `the model's answer passed ${MAX_ANSWER_CHARS} characters`,
        )
      }
      // Kept only to quote an answer that had no edit block.
      if (answer.length < 1000) answer += event.text
      handle(parser.push(event.text))
    }
    if (!deps.signal.aborted) handle(parser.end())
  } catch (e: unknown) {
    if (!deps.signal.aborted) {
      const message = e instanceof AppError ? e.message : 'the agent failed unexpectedly'
      if (!(e instanceof AppError)) deps.log.error('agent run failed', { runId: spec.runId, error: e })
      stopped = { state: 'failed', message: `Failed: ${message}`, ...counts(deps) }
    }
  }
  if (deps.signal.aborted) {
    batcher.drop()
    stopped = { state: 'cancelled', message: cancelledMessage(deps), ...counts(deps) }
  } else {
    batcher.flushNow()
  }
  const changed = deps.progress.inserted + deps.progress.deleted > 0
  if (joined) {
    doc.transact(() => (changed ? writeMark('done') : marks.delete(spec.runId)), deps.origin)
  }
  deps.progress.edits = applied.length
  return stopped ?? outcomeOf({ blocks, unmatched, answer, path: spec.path, deps })
}

function counts(deps: RunDeps) {
  return { edits: deps.progress.edits, inserted: deps.progress.inserted, deleted: deps.progress.deleted }
}

function cancelledMessage(deps: RunDeps): string {
  const { inserted, deleted } = deps.progress
  return inserted + deleted === 0
    ? 'Cancelled before any change.'
    : `Cancelled: the ${inserted} characters inserted and ${deleted} deleted before the stop stay highlighted; Undo removes them.`
}

function outcomeOf(o: {
  blocks: number
  unmatched: string[]
  answer: string
  path: string
  deps: RunDeps
}): Outcome {
  const c = counts(o.deps)
  const applied = o.blocks - o.unmatched.length
  if (o.blocks === 0) {
    const said = o.answer.trim().slice(0, 200)
    return {
      state: 'failed',
      message: `The model answered without an edit${said ? `: "${said}"` : ''}.`,
      ...c,
    }
  }
  if (applied === 0) {
    const first = o.unmatched[0]!.split('\n')[0]!.slice(0, 80)
    return {
      state: 'failed',
      message: `The model's edit did not match ${o.path} (it quoted "${first}", which is not in the file): nothing was changed.`,
      ...c,
    }
  }
  const skipped = o.unmatched.length ? `; ${o.unmatched.length} did not match the file and were skipped` : ''
  return {
    state: 'done',
    message: `Applied ${applied} edit${applied === 1 ? '' : 's'} (${c.inserted} characters inserted, ${c.deleted} deleted)${skipped}.`,
    ...c,
  }
}

/** Longest model answer read; past it the run stops (a model that loops). */
export const MAX_ANSWER_CHARS = 200_000

/** Most time between two rewrites of the run's highlight while it types, in ms. */
const MARK_MS = 100

/**
 * Collects edits and applies them in batches: the first edit after a pause at once, then at most one batch
 * every `batchMs`; each batch is one transaction with the agent's origin, also updating the highlight.
 */
class Batcher {
  private queue: { edit: AnchoredEdit; ops: DiffOp[] }[] = []
  private timer: NodeJS.Timeout | null = null
  private last = 0
  private readonly edits = new Set<AnchoredEdit>()
  private markedAt = -Infinity
  private rangeCount = 0

  constructor(
    private readonly deps: RunDeps,
    private readonly text: Y.Text,
    private readonly mark: () => void,
  ) {}

  add(edit: AnchoredEdit, ops: DiffOp[]): void {
    if (ops.length === 0) return
    this.queue.push({ edit, ops })
    if (this.timer) return
    const wait = Math.max(0, this.last + this.deps.batchMs - performance.now())
    this.timer = setTimeout(() => this.flushNow(), wait)
  }

  flushNow(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.queue.length === 0) return
    const batch = this.queue
    this.queue = []
    const started = performance.now()
    this.last = started
    this.text.doc!.transact(() => {
      for (const { edit, ops } of batch) {
        edit.apply(ops)
        this.edits.add(edit)
      }
      // The highlight is rewritten when a new range starts, else at most every MARK_MS (and at the end): it
      // is a whole map entry per write, while the text itself goes out with every batch.
      const ranges = [...this.edits].reduce((n, e) => n + e.rangeCount, 0)
      if (ranges !== this.rangeCount || started - this.markedAt >= MARK_MS) {
        this.mark()
        this.markedAt = started
        this.rangeCount = ranges
      }
    }, this.deps.origin)
    const { progress } = this.deps
    progress.inserted = 0
    progress.deleted = 0
    for (const e of this.edits) {
      progress.inserted += e.inserted
      progress.deleted += e.deleted
    }
    this.deps.session.setCursor(batch.at(-1)!.edit.cursor())
    this.deps.onBatch?.(performance.now() - started)
  }

  drop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.queue = []
  }
}

/** A span as relative positions, so a selection follows the text while people type before the model answers. */
function anchorSpan(text: Y.Text, span: Span): { start: Y.RelativePosition; end: Y.RelativePosition } {
  return {
    start: Y.createRelativePositionFromTypeIndex(text, span.start),
    end: Y.createRelativePositionFromTypeIndex(text, span.end, -1),
  }
}

function resolveSpan(text: Y.Text, w: { start: Y.RelativePosition; end: Y.RelativePosition }): Span {
  const at = (rp: Y.RelativePosition, fallback: number) =>
    Y.createAbsolutePositionFromRelativePosition(rp, text.doc!)?.index ?? fallback
  const start = at(w.start, 0)
  return { start, end: Math.max(start, at(w.end, text.length)) }
}

function sliceOf(text: Y.Text, w: { start: Y.RelativePosition; end: Y.RelativePosition }): string {
  const span = resolveSpan(text, w)
  return text.toString().slice(span.start, span.end)
}
