import type * as Y from 'yjs'
import {
  AGENT_NAME,
  AGENT_RUNS_FIELD,
  AppError,
  CONTENT_FIELD,
  ErrorCode,
  type AgentRunMark,
} from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { ChatService } from '../chat'
import { AnchoredEdit } from './anchored-edit'
import type { CollabSession } from './collab-session'
import { EditStreamParser, type EditEvent } from './edit-format'
import { rangeOffsets } from './locate'
import { DocumentVersion } from './locate-at-version'
import { editPrompt } from './prompt'
import type { Outcome } from './run-store'
import { StreamingDiff, type DiffOp } from './streaming-diff'

/**
 * One agent run, from joining the document to leaving it:
 * 1. join the document as a collaborator and wait for sync; mark the run in `agentRuns` (state `running`);
 * 2. ask the chat model for old/new edit blocks and read its answer as it streams;
 * 3. for each block: locate the old text in the version of the document the prompt showed (inside the selection
 *    when there is one) and carry it onto the live text (locate-at-version.ts: people typing since only move
 *    it; a block whose quoted text someone deleted is skipped, saying where and by whom), then turn old→new
 *    into character edits as the new text streams and apply them in batches (one transaction each, the agent's
 *    origin) at most every `batchMs`, moving the agent's cursor along;
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
  const skipped: Skip[] = []
  let answer = ''
  let stopped: Outcome | null = null
  let joined = false
  let version: DocumentVersion | null = null
  try {
    await session.synced()
    joined = true
    doc.transact(() => writeMark('running'), deps.origin)
    // The model answers about this version: its quotes are located in it, whatever is typed meanwhile.
    const shown = DocumentVersion.capture(text, session, AGENT_NAME)
    version = shown
    const window = spec.range ? rangeOffsets(shown.text, spec.range) : undefined
    const selection =
      window && spec.range
        ? {
            text: shown.text.slice(window.start, window.end),
            startLine: spec.range.startLine,
            endLine: spec.range.endLine,
          }
        : null
    const messages = editPrompt({
      path: spec.path,
      text: shown.text,
      instruction: spec.instruction,
      selection,
    })
    const stream = await deps.chat.start(messages, deps.signal)
    const parser = new EditStreamParser()
    let block: { edit: AnchoredEdit; diff: StreamingDiff } | null = null
    const handle = (events: EditEvent[]) => {
      for (const e of events) {
        if (e.type === 'old') {
          blocks++
          const found = shown.locate(e.text, window)
          if (found.found !== 'live') {
            skipped.push(found.found === 'gone' ? { reason: found.reason } : { quote: e.text })
            block = null
            continue
          }
          const edit = new AnchoredEdit(text, found.region)
          block = { edit, diff: new StreamingDiff(found.old) }
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
  version?.close()
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
  return stopped ?? outcomeOf({ blocks, skipped, answer, path: spec.path, deps })
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

/** A block not applied: its quote was not in the file, or was deleted while the model answered. */
type Skip = { quote: string } | { reason: string }

function outcomeOf(o: {
  blocks: number
  skipped: Skip[]
  answer: string
  path: string
  deps: RunDeps
}): Outcome {
  const c = counts(o.deps)
  const applied = o.blocks - o.skipped.length
  if (o.blocks === 0) {
    const said = o.answer.trim().slice(0, 200)
    return {
      state: 'failed',
      message: `The model answered without an edit${said ? `: "${said}"` : ''}.`,
      ...c,
    }
  }
  const unmatched = o.skipped.filter((s) => 'quote' in s)
  const gone = o.skipped.flatMap((s) => ('reason' in s ? [s.reason] : []))
  if (applied === 0) {
    const quoted = unmatched[0]?.quote.split('\n')[0]!.slice(0, 80)
    const message =
      gone.length > 0
        ? `The model's edit of ${o.path} was not applied: ${listed(gone)}. Nothing was changed.`
        : `The model's edit did not match ${o.path} (it quoted "${quoted}", which is not in the file): nothing was changed.`
    return { state: 'failed', message, ...c }
  }
  const notes = [
    unmatched.length
      ? `${unmatched.length} did not match the file and ${unmatched.length === 1 ? 'was' : 'were'} skipped`
      : '',
    gone.length ? `${gone.length} skipped: ${listed(gone)}` : '',
  ].filter(Boolean)
  return {
    state: 'done',
    message: `Applied ${applied} edit${applied === 1 ? '' : 's'} (${c.inserted} characters inserted, ${c.deleted} deleted)${notes.map((n) => `; ${n}`).join('')}.`,
    ...c,
  }
}

/** The first few reasons, and how many more (a looping model may answer with hundreds of blocks). */
function listed(reasons: string[]): string {
  const shown = reasons.slice(0, 3).join('; ')
  return reasons.length > 3 ? `${shown}; and ${reasons.length - 3} more` : shown
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
