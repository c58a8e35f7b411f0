import { setImmediate as yieldToEvents } from 'node:timers/promises'
import * as Y from 'yjs'
import {
  applyRetention,
  docsWithOldVersions,
  versionStamps,
  type Db,
  type RetentionChange,
  type VersionStamp,
} from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { versionsToKeep, type RetentionPolicy } from './retention-policy'
import type { VersionStore } from './versions'
import { deleteSetOf, encodeDiff } from './yjs-history'

export interface RetentionOptions extends RetentionPolicy {
  /** Between rounds, in ms. */
  intervalMs: number
  /** Documents looked at per round, so one round never holds the database for long. Default 200. */
  documentsPerRound?: number
}

/** What one round did. */
export interface RetentionRound {
  documents: number
  removed: number
}

/**
 * Keeps file history bounded: every interval it thins the versions of a batch of documents by the retention
 * policy, without changing what any kept version opens to. Removing a version breaks the chain of diffs after it,
 * so the next kept version is re-encoded as a diff from the kept version before it (or as a whole state, a
 * checkpoint, when that is smaller or there is none). Everything is read and computed first; the change is then
 * written in one short transaction that checks no other node changed the document's versions meanwhile.
 * Deleted text that only the removed versions held is gone, as the policy says.
 */
export class HistoryRetention {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<RetentionRound> | undefined
  /** Where the next round starts, so every document gets its turn however many there are. */
  private cursor = ''

  constructor(
    private readonly deps: { db: Db; versions: VersionStore; log: Logger },
    private readonly options: RetentionOptions,
  ) {}

  /** Starts the rounds; a retention of 0 keeps every version and starts nothing. */
  start(): void {
    if (this.options.retentionMs === 0 || this.timer) return
    this.timer = setInterval(() => {
      this.runOnce().catch((error: unknown) =>
        this.deps.log.warn('thinning file history failed; retrying next round', { error }),
      )
    }, this.options.intervalMs)
    // Maintenance never keeps a process alive.
    this.timer.unref()
  }

  /** Stops the rounds and waits for one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running?.catch(() => undefined)
  }

  /** One round now (or the one in progress), as of `now`. */
  runOnce(now = Date.now()): Promise<RetentionRound> {
    this.running ??= this.round(now).finally(() => (this.running = undefined))
    return this.running
  }

  private async round(now: number): Promise<RetentionRound> {
    const limit = this.options.documentsPerRound ?? 200
    const docs = await docsWithOldVersions(this.deps.db, {
      before: new Date(now - this.options.keepAllMs),
      after: this.cursor,
      limit,
    })
    this.cursor = docs.length < limit ? '' : docs[docs.length - 1]!
    let removed = 0
    for (const docName of docs) {
      removed += await this.thin(docName, now)
      await yieldToEvents()
    }
    if (removed > 0) this.deps.log.info('file history thinned', { documents: docs.length, removed })
    return { documents: docs.length, removed }
  }

  /** Thins one document's versions; returns how many went (0 when another node changed them meanwhile). */
  private async thin(docName: string, now: number): Promise<number> {
    const planned = await versionStamps(this.deps.db, docName)
    const keep = versionsToKeep(planned, now, this.options)
    if (keep.size === planned.length) return 0
    const change: RetentionChange = { planned, remove: [], rewrite: [] }
    let base: VersionStamp | undefined
    let chainBroken = false
    for (const v of planned) {
      if (!keep.has(v.id)) {
        change.remove.push(v.id)
        chainBroken = true
        continue
      }
      if (chainBroken && !v.checkpoint) change.rewrite.push(await this.rebase(docName, v, base))
      base = v
      chainBroken = false
    }
    return (await applyRetention(this.deps.db, docName, change)) ? change.remove.length : 0
  }

  /** `version` re-encoded as a diff from `base` (the kept version before it), or as a checkpoint. */
  private async rebase(docName: string, version: VersionStamp, base: VersionStamp | undefined) {
    const doc = await this.deps.versions.open(docName, version.seq)
    const full = Y.encodeStateAsUpdate(doc)
    if (base) {
      const before = await this.deps.versions.open(docName, base.seq)
      const diff = encodeDiff(doc, Y.encodeStateVector(before), deleteSetOf(before))
      if (diff.length < full.length) return { id: version.id, diff, checkpoint: false }
    }
    return { id: version.id, diff: full, checkpoint: true }
  }
}
