import { createHash } from 'node:crypto'
import * as Y from 'yjs'
import { applyTextOps, CONTENT_FIELD, textEdits, transactions } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { CollabLink, DocumentLink } from './collab-link'
import type { WorkspaceDisk } from './workspace-disk'

/**
 * One file of a workspace, mirrored both ways with its document.
 *
 * The mirror keeps a *base*: the document state whose text is what it last saw on disk (it wrote it, or read
 * it), and that text's hash. Document -> disk: after each change (debounced) the text is written atomically
 * unless its hash is the base's (nothing new: this is also what stops an import from being written back).
 * Disk -> document: a changed file is read (debounced); when its hash is the base's it is our own write coming
 * back and nothing happens. Otherwise the change is replayed as a collaborator would have made it at the base:
 * a copy of the base state gets the minimal edits from the base text to the new text, and only those edits are
 * applied to the live document. Yjs merges them with whatever people typed since the base, so a formatter
 * rewriting a file while someone types in it loses neither; the merged text then goes back to disk. The copy
 * uses the live document's client id, so the edits are attributed to the mirror's awareness ("Workspace"):
 * the live document never edits itself, so the base always holds that client's latest change.
 *
 * Reads and writes of one file run one at a time; before writing, a disk change not read yet is read first, so
 * a write never replaces a change a command just made.
 */
export interface FileMirrorOptions {
  id: string
  docName: string
  path: string
  disk: WorkspaceDisk
  link: CollabLink
  debounceMs: number
  maxBytes: number
  log: Logger
  /** The document was refused after joining (deleted, or access failed): the project decides what next. */
  onLost: (mirror: FileMirror) => void
}

/** Inserted characters per update, so each stays far below the server's largest message (8 MiB by default). */
const MAX_CHARS_PER_UPDATE = 256 * 1024

const hashOf = (text: string) => createHash('sha256').update(text).digest('base64')

export class FileMirror {
  readonly id: string
  readonly docName: string
  path: string
  private readonly doc = new Y.Doc()
  private readonly text = this.doc.getText(CONTENT_FIELD)
  private link: DocumentLink | null = null
  private base: { update: Uint8Array; hash: string } | null = null
  private queue: Promise<void> = Promise.resolve()
  private readonly timers = {
    write: undefined as NodeJS.Timeout | undefined,
    read: undefined as NodeJS.Timeout | undefined,
  }
  private stopped = false

  constructor(private readonly options: FileMirrorOptions) {
    this.id = options.id
    this.docName = options.docName
    this.path = options.path
  }

  /**
   * Joins the document and makes disk and document agree: the document wins (the database is the source of
   * truth) unless `fromDisk`, for a file the mirror just created from disk (then a newer disk text wins).
   */
  async start(fromDisk = false): Promise<void> {
    this.link = await this.options.link.join(this.docName, this.doc, (reason) => {
      this.options.log.warn('workspace file left its document', { path: this.path, reason })
      this.options.onLost(this)
    })
    if (this.stopped) return this.link.leave()
    this.doc.on('update', () => this.schedule('write'))
    await this.run(async () => {
      const disk = await this.options.disk.read(this.path, this.options.maxBytes)
      const text = this.text.toString()
      if (disk.kind === 'text' && disk.text === text) this.base = this.snapshot(text)
      else if (fromDisk && disk.kind === 'text') this.importText(disk.text)
      // Removed again while it was being created: the project deletes it, nothing is written back.
      else if (!(fromDisk && disk.kind === 'missing')) await this.writeDoc()
    })
  }

  /** A change of the file on disk was seen. */
  diskChanged(): void {
    this.schedule('read')
  }

  /** Writes a document change still waiting for its debounce now; resolves once everything queued is done. */
  async flush(): Promise<void> {
    if (this.timers.write !== undefined) {
      clearTimeout(this.timers.write)
      this.timers.write = undefined
      void this.run(() => this.writeDoc())
    }
    await this.queue
  }

  /** Reads the file from disk now (git changed it); resolves once its change is in the document. */
  async readNow(): Promise<void> {
    clearTimeout(this.timers.read)
    this.timers.read = undefined
    await this.run(() => this.readDisk())
  }

  /** The file was renamed in the project: moves it on disk. */
  async renamed(path: string): Promise<void> {
    await this.run(async () => {
      const from = this.path
      this.path = path
      if (!(await this.options.disk.move(from, path))) await this.writeDoc(true)
    })
  }

  /** Writes what is pending, then leaves the document. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    const pendingWrite = this.timers.write !== undefined
    for (const t of Object.values(this.timers)) clearTimeout(t)
    if (pendingWrite) await this.run(() => this.writeDoc())
    await this.queue
    this.link?.leave()
    this.doc.destroy()
  }

  /** Leaves without writing (the file was deleted). */
  discard(): void {
    this.stopped = true
    for (const t of Object.values(this.timers)) clearTimeout(t)
    this.link?.leave()
    this.doc.destroy()
  }

  /** Does a scheduled write or read now, then waits for everything queued. */
  async settleNow(): Promise<void> {
    for (const kind of ['read', 'write'] as const) {
      if (this.timers[kind] === undefined) continue
      clearTimeout(this.timers[kind])
      this.timers[kind] = undefined
      void this.run(() => (kind === 'write' ? this.writeDoc() : this.readDisk()))
    }
    await this.queue
  }

  /** Resolves once everything scheduled so far is done (tests, shutdown). */
  async settled(): Promise<void> {
    await this.queue
  }

  private schedule(kind: 'write' | 'read') {
    if (this.stopped) return
    clearTimeout(this.timers[kind])
    this.timers[kind] = setTimeout(() => {
      this.timers[kind] = undefined
      void this.run(() => (kind === 'write' ? this.writeDoc() : this.readDisk()))
    }, this.options.debounceMs)
  }

  private run(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step).catch((e: unknown) => {
      this.options.log.warn('workspace file not mirrored', { path: this.path, error: e })
    })
    this.queue = next
    return next
  }

  /** Document -> disk, unless the disk already has this text. */
  private async writeDoc(force = false): Promise<void> {
    if (this.doc.isDestroyed) return
    if (!force && this.base && hashOf(this.text.toString()) === this.base.hash) return
    // A command's change that is not read yet would be overwritten: take it in first.
    if (this.base) {
      const disk = await this.options.disk.read(this.path, this.options.maxBytes)
      if (disk.kind === 'text' && hashOf(disk.text) !== this.base.hash) this.importText(disk.text)
    }
    const text = this.text.toString()
    await this.options.disk.write(this.path, text)
    this.base = this.snapshot(text)
  }

  /** Disk -> document, unless the file holds what the mirror last saw. */
  private async readDisk(): Promise<void> {
    if (this.doc.isDestroyed) return
    const disk = await this.options.disk.read(this.path, this.options.maxBytes)
    if (disk.kind === 'skip') {
      this.options.log.info('workspace file change not mirrored', { path: this.path, reason: disk.reason })
      return
    }
    if (disk.kind === 'missing' || (this.base && hashOf(disk.text) === this.base.hash)) return
    this.importText(disk.text)
  }

  /** Replays the change from the base text to `theirs` as edits made at the base (see the class comment). */
  private importText(theirs: string): void {
    const copy = new Y.Doc({ gc: false })
    try {
      Y.applyUpdate(copy, this.base?.update ?? Y.encodeStateAsUpdate(this.doc))
      // Only now: a remote update carrying a doc's own client id makes Yjs pick a new one (a clash).
      copy.clientID = this.doc.clientID
      const text = copy.getText(CONTENT_FIELD)
      for (const batch of transactions(textEdits(text.toString(), theirs), MAX_CHARS_PER_UPDATE)) {
        const before = Y.encodeStateVector(copy)
        copy.transact(() => applyTextOps(text, batch))
        // Inside a local transaction: Yjs takes a remote update carrying its own client id for a clash.
        this.doc.transact(() => Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(copy, before)))
      }
      this.base = { update: Y.encodeStateAsUpdate(copy), hash: hashOf(theirs) }
    } finally {
      copy.destroy()
    }
  }

  private snapshot(text: string) {
    return { update: Y.encodeStateAsUpdate(this.doc), hash: hashOf(text) }
  }
}
