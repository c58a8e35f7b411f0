import * as Y from 'yjs'
import {
  insertVersion,
  versionChain,
  versionTip,
  type Db,
  type VersionInfo,
  type VersionKind,
} from '@mimiverse/db'
import { CONTENT_FIELD } from '@mimiverse/shared'
import { deleteSetOf, encodeDiff, subtractDeleteSet, type DeleteSet } from './yjs-history'

/** What a new version records besides the document: why it was taken and by whom. */
export interface VersionMeta {
  kind: VersionKind
  name?: string | null
  createdBy?: string | null
  runId?: string | null
}

/**
 * A new chain starts (a checkpoint: the whole state) once the diffs since the last one outweigh this many times
 * the document's state, so opening any version merges at most that much, and the history stays within a small
 * multiple of the document.
 */
const CHECKPOINT_RATIO = 2

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Stores versions of documents as chains of Yjs diffs. Each version holds what the document gained since the
 * version before, and only the deletions that one lacked (Yjs would repeat the whole delete set in every
 * update). The deletions of each document's newest version are kept in memory; after a restart, or when
 * another node stored the newest version, they are rebuilt from the chain once.
 */
export class VersionStore {
  private readonly known = new Map<string, { seq: number; deletes: DeleteSet }>()
  private readonly chains = new Map<string, Promise<unknown>>()

  constructor(private readonly db: Db) {}

  /**
   * Stores the current state of `doc` as a version. Returns null when nothing changed since the newest version
   * (unless `force`: a named version is kept even then). One at a time per document on this node.
   */
  take(docName: string, doc: Y.Doc, meta: VersionMeta, force = false): Promise<VersionInfo | null> {
    const run = (this.chains.get(docName) ?? Promise.resolve()).then(() =>
      this.store(docName, doc, meta, force),
    )
    const settled = run.catch(() => undefined)
    this.chains.set(docName, settled)
    void settled.then(() => {
      if (this.chains.get(docName) === settled) this.chains.delete(docName)
    })
    return run
  }

  /** The document as it was at version `seq`. */
  async open(docName: string, seq: number): Promise<Y.Doc> {
    const doc = new Y.Doc()
    const chain = await versionChain(this.db, docName, seq)
    if (chain.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(chain))
    return doc
  }

  async text(docName: string, seq: number): Promise<string> {
    return (await this.open(docName, seq)).getText(CONTENT_FIELD).toString()
  }

  forget(docName: string): void {
    this.known.delete(docName)
  }

  private async store(docName: string, doc: Y.Doc, meta: VersionMeta, force: boolean) {
    const tip = await versionTip(this.db, docName)
    const stateVector = Y.encodeStateVector(doc)
    const deletes = deleteSetOf(doc)
    const full = Y.encodeStateAsUpdate(doc)
    const chars = doc.getText(CONTENT_FIELD).length
    let known: DeleteSet | null = null
    if (tip) {
      known = await this.knownDeletes(docName, tip.seq)
      const nothingNew =
        sameBytes(tip.stateVector, stateVector) && subtractDeleteSet(deletes, known).clients.size === 0
      if (nothingNew && !force) return null
    }
    const checkpoint = !tip || tip.chainBytes > CHECKPOINT_RATIO * full.length
    const diff = checkpoint || !tip ? full : encodeDiff(doc, tip.stateVector, known)
    const version = await insertVersion(this.db, { docName, ...meta, checkpoint, stateVector, diff, chars })
    this.known.set(docName, { seq: version.seq, deletes })
    return version
  }

  private async knownDeletes(docName: string, seq: number): Promise<DeleteSet> {
    const cached = this.known.get(docName)
    if (cached?.seq === seq) return cached.deletes
    return deleteSetOf(await this.open(docName, seq))
  }
}
