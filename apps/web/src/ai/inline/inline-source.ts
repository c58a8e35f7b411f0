import { typedSince } from '@mimiverse/shared'
import type { CollabConnection } from '../../collab/connection'
import { docNameOfUri, pathOfUri } from '../../editor/model-uri'
import { monaco } from '../../editor/monaco-setup'
import { toProblem } from '../../api/errors'
import { aiApi } from '../ai-client'
import type { CompletionGate } from './completion-gate'
import { AdaptiveDebounce } from './adaptive-debounce'
import { CompletionCache, type CacheHit, type CachedCompletion } from './completion-cache'
import { EditTracker } from './edit-tracker'
import { insideRemoteSelection } from './remote-selection'

/**
 * The Monaco inline-completions provider (ghost text; Tab accepts, Esc dismisses, Alt/Option+] cycles).
 *
 * Flow of one keystroke: Monaco cancels the previous call's token and calls `provideInlineCompletions`.
 * 1. Cached suggestions that the text still agrees with (typed through, or backspaced over) are served at once.
 * 2. Nothing is asked while the completion model is not ready (`CompletionGate`: no 503 per keystroke).
 *    Unless the user's last keystroke typed text (not a deletion, not an edit by a peer or a tool), nothing
 *    else happens: no request.
 * 3. When a request is in flight and the user typed on, a `reuseOnly` probe asks the server to re-attach to
 *    that model stream (it does when the model has been writing what was typed); the old request then ends.
 * 4. Otherwise, after the adaptive debounce, one `ai.complete` request. A keystroke cancels it: its HTTP
 *    request is aborted, which aborts the model stream on the server, unless the keystroke typed forward
 *    (step 3 may still reuse it; it is aborted after the probe, or after ORPHAN_MS without one).
 * Shown, accepted and dismissed suggestions are reported with `ai.completionEvent`.
 */
export type Item = monaco.languages.InlineCompletion & { meta: CachedCompletion }
type List = monaco.languages.InlineCompletions<Item>

export interface OpenDoc {
  docName: string
  path: string
}

interface Flight {
  docName: string
  prefix: string
  suffix: string
  started: number
  controller: AbortController
  orphanTimer?: ReturnType<typeof setTimeout>
}

/** Text sent around the cursor (the server clips to its own, smaller prompt budget). */
const PREFIX_CHARS = 4000
const SUFFIX_CHARS = 1000
const MAX_OPEN_FILES = 20
/** A request abandoned by forward typing is aborted when no probe claims it within this time. */
const ORPHAN_MS = 1000
/** Most characters typed on over a request in flight that can still be served from its stream. */
const MAX_TYPED_ON = 256

export class InlineSource implements monaco.languages.InlineCompletionsProvider<List> {
  /** Monaco's own debounce is off: ours adapts to typing speed, and cache hits must not wait. */
  readonly debounceDelayMs = 0
  readonly cache = new CompletionCache()
  private readonly debounce = new AdaptiveDebounce()
  readonly edits = new EditTracker((now) => this.debounce.keystroke(now))
  private flight: Flight | null = null
  private readonly reported = new Set<string>()

  constructor(
    private readonly editor: monaco.editor.IStandaloneCodeEditor,
    private readonly connection: CollabConnection,
    private readonly openDocs: () => OpenDoc[],
    private readonly gate: CompletionGate,
  ) {}

  async provideInlineCompletions(
    model: monaco.editor.ITextModel,
    position: monaco.Position,
    context: monaco.languages.InlineCompletionContext,
    token: monaco.CancellationToken,
  ): Promise<List | undefined> {
    const target = this.targetOf(model)
    if (!target) return undefined
    const offset = model.getOffsetAt(position)
    if (insideRemoteSelection(target.session, offset)) return undefined
    const at = { ...target, ...textAround(model, offset) }
    const cached = this.cache.lookup(at.docName, at.prefix, at.suffix)
    if (cached.length) return this.list(cached, model, position)
    const explicit = context.triggerKind === monaco.languages.InlineCompletionTriggerKind.Explicit
    if (!explicit && !this.edits.typed(model)) return undefined
    if (!this.gate.allowed) return undefined
    const reused = await this.probe(at)
    if (reused.length || token.isCancellationRequested) return this.list(reused, model, position)
    if (!(await wait(this.debounce.delayMs(), token))) return undefined
    const recentEdits = this.edits.recentEdits({ model, line: position.lineNumber })
    const entry = await this.request({ ...at, path: target.path, recentEdits }, token)
    return entry ? this.list([{ entry, rest: entry.text }], model, position) : undefined
  }

  handleItemDidShow(_list: List, item: Item): void {
    this.report(item.meta, 'shown')
  }

  handleEndOfLifetime(
    _list: List,
    item: Item,
    reason: monaco.languages.InlineCompletionEndOfLifeReason<Item>,
  ): void {
    const { Accepted, Rejected } = monaco.languages.InlineCompletionEndOfLifeReasonKind
    if (reason.kind === Accepted) this.report(item.meta, 'accepted')
    else if (reason.kind === Rejected) this.report(item.meta, 'dismissed')
  }

  disposeInlineCompletions(): void {}

  dispose(): void {
    this.abortFlight()
  }

  private targetOf(model: monaco.editor.ITextModel) {
    const docName = docNameOfUri(model.uri)
    const path = pathOfUri(model.uri)
    const session = docName ? this.connection.get(docName) : undefined
    return docName && path && session ? { docName, path, session } : null
  }

  /** Re-attaches to the request in flight when the user typed on from its cursor (see inflight.ts). */
  private async probe(at: { docName: string; prefix: string; suffix: string }): Promise<CacheHit[]> {
    const f = this.flight
    if (!f) return []
    const typedOn = f.docName === at.docName && continues(f, at)
    if (!typedOn) {
      this.abortFlight()
      return []
    }
    try {
      const r = await aiApi.ai.complete.mutate({ ...at, reuseOnly: true })
      if (r.reused && r.text) {
        const latencyMs = Math.round(performance.now() - f.started)
        const entry = this.cache.add({ ...at, text: r.text, model: r.model, latencyMs })
        return [{ entry, rest: r.text }]
      }
    } catch (e: unknown) {
      // The probe is an optimisation: on any failure, fall through to a normal request (unless the model is gone).
      this.gate.failed(toProblem(e).code)
    } finally {
      if (this.flight === f) this.abortFlight()
    }
    return this.cache.lookup(at.docName, at.prefix, at.suffix)
  }

  private async request(
    at: {
      docName: string
      path: string
      prefix: string
      suffix: string
      recentEdits: { path: string; text: string }[]
    },
    token: monaco.CancellationToken,
  ): Promise<CachedCompletion | null> {
    this.abortFlight()
    const flight: Flight = { ...at, started: performance.now(), controller: new AbortController() }
    this.flight = flight
    const sub = token.onCancellationRequested(() => this.orphan(flight))
    const openFiles = this.openDocs()
      .map((d) => d.docName)
      .filter((d) => d !== at.docName)
      .slice(0, MAX_OPEN_FILES)
    try {
      const r = await aiApi.ai.complete.mutate({ ...at, openFiles }, { signal: flight.controller.signal })
      const latencyMs = Math.round(performance.now() - flight.started)
      if (!r.text) return null
      // Cached even when the keystroke orphaned it: typing on may still be served from it.
      const entry = this.cache.add({ ...at, text: r.text, model: r.model, latencyMs })
      return token.isCancellationRequested ? null : entry
    } catch (e: unknown) {
      // Aborted by a keystroke, or no model (the gate closes): the editor keeps working without a suggestion.
      this.gate.failed(toProblem(e).code)
      return null
    } finally {
      sub.dispose()
      if (this.flight === flight) this.clearFlight()
    }
  }

  /** A keystroke cancelled the call: abort its request now unless the user typed on from its cursor. */
  private orphan(flight: Flight): void {
    if (this.flight !== flight) return
    const model = this.editor.getModel()
    const pos = this.editor.getPosition()
    const here = model && pos ? textAround(model, model.getOffsetAt(pos)) : null
    const typedOn = here !== null && continues(flight, here)
    if (!typedOn) return this.abortFlight()
    flight.orphanTimer = setTimeout(() => {
      if (this.flight === flight) this.abortFlight()
    }, ORPHAN_MS)
  }

  private abortFlight(): void {
    this.flight?.controller.abort()
    this.clearFlight()
  }

  private clearFlight(): void {
    if (this.flight?.orphanTimer) clearTimeout(this.flight.orphanTimer)
    this.flight = null
  }

  private list(hits: CacheHit[], model: monaco.editor.ITextModel, position: monaco.Position): List {
    const restOfLine = model.getLineContent(position.lineNumber).slice(position.column - 1)
    const range = monaco.Range.fromPositions(position)
    const items = hits.map(({ entry, rest }) => ({
      // Monaco needs a multi-line insert to end its line: with text after the cursor, offer the first line.
      insertText: restOfLine.trim() ? rest.split('\n')[0]! : rest,
      range,
      meta: entry,
    }))
    // While ghost text shows, the word-suggestion list is hidden: otherwise Tab would accept its item instead.
    return { items: items.filter((i) => i.insertText !== ''), suppressSuggestions: true }
  }

  private report(meta: CachedCompletion, kind: 'shown' | 'accepted' | 'dismissed'): void {
    const key = `${meta.id}:${kind}`
    if (this.reported.has(key)) return
    this.reported.add(key)
    if (this.reported.size > 1000) this.reported.clear()
    const { docName, latencyMs, model } = meta
    aiApi.ai.completionEvent.mutate({ docName, kind, latencyMs, model }).catch(() => {
      // Telemetry only: a lost event must not disturb editing.
    })
  }
}

/** Whether the cursor text `now` continues the request's by forward typing (same suffix, text added before). */
function continues(flight: Flight, now: { prefix: string; suffix: string }): boolean {
  return now.suffix === flight.suffix && typedSince(flight.prefix, now.prefix, MAX_TYPED_ON) !== null
}

/** The text before and after a cursor offset, bounded. */
export function textAround(model: monaco.editor.ITextModel, offset: number) {
  const from = model.getPositionAt(Math.max(0, offset - PREFIX_CHARS))
  const at = model.getPositionAt(offset)
  const to = model.getPositionAt(offset + SUFFIX_CHARS)
  return {
    prefix: model.getValueInRange(monaco.Range.fromPositions(from, at)),
    suffix: model.getValueInRange(monaco.Range.fromPositions(at, to)),
  }
}

/** Resolves true after `ms`, false as soon as the token is cancelled. */
function wait(ms: number, token: monaco.CancellationToken): Promise<boolean> {
  if (token.isCancellationRequested) return Promise.resolve(false)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      sub.dispose()
      resolve(true)
    }, ms)
    const sub = token.onCancellationRequested(() => {
      clearTimeout(timer)
      sub.dispose()
      resolve(false)
    })
  })
}
