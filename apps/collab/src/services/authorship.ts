import * as Y from 'yjs'
import {
  AuthorKind,
  recordClientAuthors,
  recordEdits,
  type Author,
  type Db,
  type EditRange,
} from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'

/** Yjs does not export the class; this is the type its functions take and return. */
type DeleteSet = Y.Transaction['deleteSet']

/**
 * Transaction origin of an edit the server makes on someone's behalf (a restore, a rollback): the edit is
 * attributed to `author`, not to the server.
 */
export class AuthoredOrigin {
  constructor(readonly author: Author) {}
}

/** What one transaction added and deleted, as the live document saw it. */
export interface ObservedEdit {
  /** New items per client: `[clockFrom, clockTo)`. */
  added: { clientId: number; clockFrom: number; clockTo: number }[]
  deleted: DeleteSet | null
}

/** The items a transaction added (clock ranges per client) and what it deleted; null when nothing changed. */
export function observe(tr: Y.Transaction): ObservedEdit | null {
  const added: ObservedEdit['added'] = []
  for (const [clientId, clockTo] of tr.afterState) {
    const clockFrom = tr.beforeState.get(clientId) ?? 0
    if (clockTo > clockFrom) added.push({ clientId, clockFrom, clockTo })
  }
  const deleted = tr.deleteSet.clients.size > 0 ? tr.deleteSet : null
  return added.length > 0 || deleted ? { added, deleted } : null
}

/** One open edit row: extended while the same author keeps writing the same client's next items. */
interface Open {
  row: Omit<EditRange, 'deletes'>
  deleted: DeleteSet | null
}

export interface AuthorshipOptions {
  /** How often buffered edits are written, in ms. Default 2000. */
  flushMs?: number
  /** Longest time one edit row spans, in ms, so blame's times stay this precise. Default 30 000. */
  maxRowMs?: number
}

const authorKey = (a: Author) => `${a.kind} ${a.userId ?? ''} ${a.runId ?? ''}`

/** An encoded Yjs snapshot with an empty state vector: a delete set in a format Yjs can read back. */
export const encodeDeleteSet = (ds: DeleteSet) => Y.encodeSnapshot(Y.createSnapshot(ds, new Map()))

/**
 * Records who wrote what, from the transactions the live documents see. The author comes from the connection
 * that sent the update (authenticated by the server), never from the update itself: a Yjs client id is a
 * random number any client can choose, so it only tells which items belong together.
 *
 * Typing produces one transaction per keystroke; they are merged in memory (same author, same client, next
 * clock) and written every `flushMs`, so the database sees about one row per author per pause. A crash loses
 * at most the last `flushMs` of attribution, never content: blame then falls back to the first author of the
 * client id (`document_authors`, written at once).
 */
export class AuthorshipRecorder {
  private readonly open = new Map<string, Map<string, Open>>()
  private readonly done: EditRange[] = []
  private readonly seenClients = new Map<string, Set<number>>()
  private readonly flushMs: number
  private readonly maxRowMs: number
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    options: AuthorshipOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 2000
    this.maxRowMs = options.maxRowMs ?? 30_000
  }

  /** Records what `author` did in one transaction of `docName`. */
  record(docName: string, author: Author, edit: ObservedEdit, now = new Date()): void {
    let byAuthor = this.open.get(docName)
    if (!byAuthor) this.open.set(docName, (byAuthor = new Map()))
    const key = authorKey(author)
    for (const range of edit.added) {
      this.firstSight(docName, range.clientId, author, now)
      const current = byAuthor.get(key)
      const extends_ =
        current?.row.clientId === range.clientId &&
        current.row.clockTo === range.clockFrom &&
        now.getTime() - current.row.firstAt.getTime() < this.maxRowMs
      if (current && extends_) {
        current.row.clockTo = range.clockTo
        current.row.lastAt = now
        continue
      }
      if (current) this.close(current)
      byAuthor.set(key, { row: { docName, ...range, ...author, firstAt: now, lastAt: now }, deleted: null })
    }
    if (edit.deleted) {
      let current = byAuthor.get(key)
      if (!current) {
        // Deleting adds no item: an empty range (client 0) holds the deletions.
        current = {
          row: { docName, clientId: 0, clockFrom: 0, clockTo: 0, ...author, firstAt: now, lastAt: now },
          deleted: null,
        }
        byAuthor.set(key, current)
      }
      current.deleted = current.deleted ? Y.mergeDeleteSets([current.deleted, edit.deleted]) : edit.deleted
      current.row.lastAt = now
    }
    this.schedule()
  }

  /** Writes everything buffered; resolves when it is stored (or failed and was logged). */
  flush(docName?: string): Promise<void> {
    for (const [name, byAuthor] of this.open) {
      if (docName !== undefined && name !== docName) continue
      for (const open of byAuthor.values()) this.close(open)
      this.open.delete(name)
    }
    const rows = this.done.splice(0)
    this.writing = this.writing.then(() => this.write(rows))
    return this.writing
  }

  /** The document left memory: write its edits and forget which client ids were seen. */
  async forget(docName: string): Promise<void> {
    this.seenClients.delete(docName)
    await this.flush(docName)
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer)
    this.timer = undefined
    await this.flush()
  }

  private close(open: Open) {
    const deletes = open.deleted ? encodeDeleteSet(open.deleted) : null
    this.done.push({ ...open.row, deletes })
  }

  private firstSight(docName: string, clientId: number, author: Author, now: Date) {
    let seen = this.seenClients.get(docName)
    if (!seen) this.seenClients.set(docName, (seen = new Set()))
    if (seen.has(clientId)) return
    seen.add(clientId)
    recordClientAuthors(this.db, [{ docName, clientId, ...author }]).catch((e: unknown) => {
      seen.delete(clientId)
      this.log.warn('client author not recorded', { doc: docName, error: e, at: now.toISOString() })
    })
  }

  private schedule() {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.flush().catch(() => undefined)
    }, this.flushMs)
    this.timer.unref()
  }

  private async write(rows: EditRange[]) {
    if (rows.length === 0) return
    try {
      await recordEdits(this.db, rows)
    } catch (e: unknown) {
      this.log.warn('edit attribution not stored; blame falls back to client ids', {
        rows: rows.length,
        error: e,
      })
    }
  }
}

/** The server's own edits (a file created with content): no member wrote them. */
export const SERVER_AUTHOR: Author = { kind: AuthorKind.Server, userId: null, runId: null }
