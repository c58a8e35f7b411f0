import * as Y from 'yjs'
import { AGENT_RUNS_FIELD, CONTENT_FIELD, type AgentRunMark } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { AnchoredEdit } from '../anchored-edit'
import type { CollabSession } from '../collab-session'
import type { DocumentVersion } from '../locate-at-version'

/**
 * The documents one task run works in. Each file the run touches gets its own Y.Doc, joined over the collab
 * protocol as the agent (one session per file, with a token pinned to that document), an UndoManager that
 * tracks only the run's origin (so Undo reverts exactly the agent's changes, keeping everyone else's), the text
 * it had when the run first opened it (for the run's diff), and the run's highlight entry in `agentRuns`.
 *
 * Presence: the agent publishes `file` (the one it works in) on every document it has open, exactly as a person
 * does, so anyone following it sees it move from file to file. At most `maxOpen` sessions stay open; the least
 * recently used one is left (its Y.Doc stays, and is re-joined when the run comes back to it).
 */
export interface RunFile {
  docName: string
  path: string
  doc: Y.Doc
  text: Y.Text
  undo: Y.UndoManager
  /** The text when the run first opened the file ('' for a file the run created). */
  base: string
  /** The version the model was last shown (read_file): its quotes are located in it. */
  shown: DocumentVersion | null
  edits: AnchoredEdit[]
  created: boolean
  deleted: boolean
  session: CollabSession | null
  usedAt: number
}

export interface RunFilesOptions {
  runId: string
  requesterName: string
  /** Joins a document as the agent for this run. */
  join(docName: string, doc: Y.Doc): CollabSession
  origin: object
  maxOpen: number
  log: Logger
}

export class RunFiles {
  private readonly files = new Map<string, RunFile>()
  private current: RunFile | null = null
  private clock = 0

  constructor(private readonly opts: RunFilesOptions) {}

  /** The file, joined and synced, now the one the agent works in. */
  async open(f: { docName: string; path: string; created?: boolean }): Promise<RunFile> {
    let file = this.files.get(f.docName)
    if (!file) {
      const doc = new Y.Doc()
      const text = doc.getText(CONTENT_FIELD)
      file = {
        docName: f.docName,
        path: f.path,
        doc,
        text,
        undo: new Y.UndoManager(text, {
          trackedOrigins: new Set([this.opts.origin]),
          captureTimeout: Number.POSITIVE_INFINITY,
        }),
        base: '',
        shown: null,
        edits: [],
        created: f.created ?? false,
        deleted: false,
        session: null,
        usedAt: 0,
      }
      this.files.set(f.docName, file)
      await this.connect(file)
      file.base = f.created ? '' : text.toString()
    } else if (!file.session) {
      await this.connect(file)
    }
    file.path = f.path
    file.usedAt = ++this.clock
    if (this.current !== file) {
      this.current = file
      this.publishCurrent()
    }
    return file
  }

  get(docName: string): RunFile | undefined {
    return this.files.get(docName)
  }

  all(): RunFile[] {
    return [...this.files.values()]
  }

  /** The files whose text the run changed. */
  changed(): RunFile[] {
    return this.all().filter((f) => f.edits.some((e) => e.inserted + e.deleted > 0))
  }

  /** Rewrites the run's highlight in the file (call inside the edit's transaction). */
  mark(file: RunFile, state: AgentRunMark['state']): void {
    file.doc.getMap<AgentRunMark>(AGENT_RUNS_FIELD).set(this.opts.runId, {
      runId: this.opts.runId,
      requester: this.opts.requesterName,
      state,
      ranges: file.edits.flatMap((e) => e.ranges()),
    })
  }

  /** Waits until the server has every change of every open file (before a command reads the working tree). */
  async acknowledged(): Promise<void> {
    await Promise.all(this.all().flatMap((f) => (f.session ? [f.session.acknowledged()] : [])))
  }

  /** Leaves one file (it was deleted, say). */
  async leave(file: RunFile): Promise<void> {
    const s = file.session
    file.session = null
    if (this.current === file) this.current = null
    await s?.leave().catch((e: unknown) => this.opts.log.warn('agent could not leave cleanly', { error: e }))
  }

  /** Marks every changed file done (or removes an empty highlight) and leaves every document. */
  async finish(): Promise<void> {
    for (const f of this.all()) {
      if (!f.session || f.deleted) continue
      const changed = f.edits.some((e) => e.inserted + e.deleted > 0)
      f.doc.transact(() => {
        if (changed) this.mark(f, 'done')
        else f.doc.getMap(AGENT_RUNS_FIELD).delete(this.opts.runId)
      }, this.opts.origin)
    }
    for (const f of this.all()) f.shown?.close()
    await Promise.all(this.all().map((f) => this.leave(f)))
  }

  private async connect(file: RunFile): Promise<void> {
    const open = this.all().filter((f) => f.session)
    if (open.length >= this.opts.maxOpen) {
      const oldest = open.reduce((a, b) => (a.usedAt <= b.usedAt ? a : b))
      await this.leave(oldest)
    }
    const session = this.opts.join(file.docName, file.doc)
    file.session = session
    try {
      await session.synced()
    } catch (e: unknown) {
      file.session = null
      await session.leave().catch(() => {})
      throw e
    }
    if (this.current) session.setFile({ docName: this.current.docName, path: this.current.path })
  }

  private publishCurrent(): void {
    const cur = this.current
    const file = cur ? { docName: cur.docName, path: cur.path } : null
    for (const f of this.all()) f.session?.setFile(file)
  }

  /** Tells every open document the current file's new path (after a rename). */
  renamed(file: RunFile, path: string): void {
    file.path = path
    if (this.current === file) this.publishCurrent()
  }
}
