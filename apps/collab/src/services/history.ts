import { and, eq, inArray } from 'drizzle-orm'
import * as Y from 'yjs'
import {
  AuthorKind,
  clientAuthorsOf,
  editsOf,
  findVersion,
  versionDiffs,
  listVersions,
  versionAt,
  VersionKind,
  type Author,
  type Db,
  type EditRange,
  type VersionInfo,
} from '@mimiverse/db'
import { files, users } from '@mimiverse/db/schema'
import {
  AppError,
  CONTENT_FIELD,
  docNameFor,
  ErrorCode,
  parseDocName,
  Role,
  textEdits,
  type AuthorInput,
} from '@mimiverse/shared'
import type { AccessService } from './access'
import { AuthoredOrigin, type AuthorshipRecorder } from './authorship'
import { blame, type BlameLine } from './blame'
import type { VersionStore } from './versions'

/** The live documents of this node, for edits that must reach everyone editing (restore, rollback). */
export interface LiveEditor {
  /** Calls `fn` with the live document (loaded if no one has it open); `fn`'s synchronous part is atomic. */
  withDocument<T>(docName: string, fn: (doc: Y.Doc) => Promise<T> | T): Promise<T>
}

/** A version as the API returns it. */
export interface VersionView extends Omit<VersionInfo, 'docName' | 'seq'> {
  createdByName: string | null
}

/** A line of blame, with the author's display name. */
export interface BlameView extends BlameLine {
  name: string | null
}

/** Replaces the text of `doc` by `to` with the smallest edit (lines kept are not touched) in one transaction. */
export function editTextTo(doc: Y.Doc, to: string, author: Author): number {
  const text = doc.getText(CONTENT_FIELD)
  const edits = textEdits(text.toString(), to)
  doc.transact(() => {
    for (const e of [...edits].reverse()) {
      if (e.remove > 0) text.delete(e.index, e.remove)
      if (e.insert) text.insert(e.index, e.insert)
    }
  }, new AuthoredOrigin(author))
  return edits.length
}

const matches = (author: AuthorInput) => (e: EditRange) =>
  author.kind === 'user'
    ? e.kind === AuthorKind.User && e.userId === author.userId
    : author.kind === 'agent'
      ? e.kind === AuthorKind.Agent && e.runId === author.runId
      : e.kind === AuthorKind.Mirror

/** Whether `(client, clock)` was added in one of `edits`. */
function addedBy(edits: EditRange[]): (client: number, clock: number) => boolean {
  return (client, clock) =>
    edits.some((e) => e.clientId === client && clock >= e.clockFrom && clock < e.clockTo)
}

/**
 * History, blame and rollback of files, for the workspace API. Reading needs any role (reviewers included);
 * anything that changes a document needs an editor. Changes are forward edits of the live document, attributed
 * to the member who asked: collaborators keep typing, and the change itself can be undone like any other.
 */
export class HistoryService {
  constructor(
    private readonly deps: {
      db: Db
      access: AccessService
      versions: VersionStore
      authorship: AuthorshipRecorder
    },
  ) {}

  async list(userId: string, input: { projectId: string; path: string }): Promise<VersionView[]> {
    const docName = await this.docOf(userId, input, Role.Reviewer)
    return this.views(await listVersions(this.deps.db, docName))
  }

  async get(userId: string, versionId: string): Promise<VersionView & { path: string; content: string }> {
    const { version, path } = await this.versionOf(userId, versionId, Role.Reviewer)
    const content = await this.deps.versions.text(version.docName, version.seq)
    const [view] = await this.views([version])
    return { ...view!, path, content }
  }

  async create(
    userId: string,
    input: { projectId: string; path: string; name: string },
    live: LiveEditor,
  ): Promise<VersionView> {
    const docName = await this.docOf(userId, input, Role.Editor)
    const meta = { kind: VersionKind.Named, name: input.name, createdBy: userId }
    const version = await live.withDocument(docName, (doc) =>
      this.deps.versions.take(docName, doc, meta, true),
    )
    const [view] = await this.views([version!])
    return view!
  }

  async restore(userId: string, versionId: string, live: LiveEditor): Promise<{ edits: number }> {
    const { version } = await this.versionOf(userId, versionId, Role.Editor)
    const target = await this.deps.versions.text(version.docName, version.seq)
    return this.editTo(userId, version.docName, live, () => target)
  }

  /** Restores every file of a project that has a version at or before `at` to that version. */
  async restoreProject(
    userId: string,
    input: { projectId: string; at: Date },
    live: LiveEditor,
  ): Promise<{ files: number }> {
    await this.deps.access.require(userId, input.projectId, Role.Editor)
    const rows = await this.deps.db
      .select({ id: files.id })
      .from(files)
      .where(eq(files.projectId, input.projectId))
    let restored = 0
    for (const { id } of rows) {
      const docName = docNameFor(input.projectId, id)
      const version = await versionAt(this.deps.db, docName, input.at)
      if (!version) continue
      const target = await this.deps.versions.text(docName, version.seq)
      const { edits } = await this.editTo(userId, docName, live, () => target)
      if (edits > 0) restored++
    }
    return { files: restored }
  }

  /**
   * Undoes what one author wrote in a file between two times, keeping everyone else's edits: their characters
   * still in the file are removed, and the characters they deleted come back where the history still holds
   * them (deleted between two versions, their text is in the version before). The rebuilt document has every
   * stored version and the live state, without garbage collection, so deleted text keeps its content.
   */
  async rollback(
    userId: string,
    input: { projectId: string; path: string; author: AuthorInput; from?: Date; to?: Date },
    live: LiveEditor,
  ): Promise<{ edits: number }> {
    const docName = await this.docOf(userId, input, Role.Editor)
    await this.deps.authorship.flush(docName)
    const range = { ...(input.from ? { from: input.from } : {}), ...(input.to ? { to: input.to } : {}) }
    const edits = (await editsOf(this.deps.db, docName, range)).filter(matches(input.author))
    if (edits.length === 0) return { edits: 0 }
    const full = new Y.Doc({ gc: false })
    for (const diff of await versionDiffs(this.deps.db, docName)) Y.applyUpdate(full, diff)
    return this.editTo(userId, docName, live, (doc) => {
      Y.applyUpdate(full, Y.encodeStateAsUpdate(doc))
      return withoutEdits(full.getText(CONTENT_FIELD), edits)
    })
  }

  async blame(
    userId: string,
    input: { projectId: string; path: string },
    live: LiveEditor,
  ): Promise<BlameView[]> {
    const docName = await this.docOf(userId, input, Role.Reviewer)
    await this.deps.authorship.flush(docName)
    const [edits, clients] = await Promise.all([
      editsOf(this.deps.db, docName),
      clientAuthorsOf(this.deps.db, docName),
    ])
    const lines = await live.withDocument(docName, (doc) => blame(doc.getText(CONTENT_FIELD), edits, clients))
    const names = await this.names(lines.map((l) => l.author?.userId ?? null))
    return lines.map((l) => ({ ...l, name: l.author ? nameOf(l.author, names) : null }))
  }

  /** Takes a version of the current state, then edits the live text to `target(doc)`, as `userId`. */
  private async editTo(
    userId: string,
    docName: string,
    live: LiveEditor,
    target: (doc: Y.Doc) => string,
  ): Promise<{ edits: number }> {
    const author: Author = { kind: AuthorKind.User, userId, runId: null }
    return live.withDocument(docName, async (doc) => {
      await this.deps.versions.take(docName, doc, { kind: VersionKind.BeforeRestore, createdBy: userId })
      return { edits: editTextTo(doc, target(doc), author) }
    })
  }

  private async docOf(userId: string, input: { projectId: string; path: string }, role: Role) {
    await this.deps.access.require(userId, input.projectId, role)
    const [row] = await this.deps.db
      .select({ id: files.id })
      .from(files)
      .where(and(eq(files.projectId, input.projectId), eq(files.path, input.path)))
    if (!row) throw new AppError(ErrorCode.NotFound, `No file "${input.path}" in this project`)
    return docNameFor(input.projectId, row.id)
  }

  private async versionOf(userId: string, versionId: string, role: Role) {
    const version = await findVersion(this.deps.db, versionId)
    const doc = version ? parseDocName(version.docName) : null
    if (!version || !doc) throw new AppError(ErrorCode.NotFound, 'No such version')
    await this.deps.access.require(userId, doc.projectId, role)
    const [file] = await this.deps.db.select({ path: files.path }).from(files).where(eq(files.id, doc.fileId))
    if (!file) throw new AppError(ErrorCode.NotFound, 'The file of this version was deleted')
    return { version, path: file.path }
  }

  private async views(versions: VersionInfo[]): Promise<VersionView[]> {
    const names = await this.names(versions.map((v) => v.createdBy))
    return versions.map(({ docName: _d, seq: _s, ...v }) => ({
      ...v,
      createdByName: v.createdBy ? (names.get(v.createdBy) ?? null) : null,
    }))
  }

  private async names(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
    if (wanted.length === 0) return new Map()
    const rows = await this.deps.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, wanted))
    return new Map(rows.map((r) => [r.id, r.name]))
  }
}

function nameOf(author: Author, names: Map<string, string>): string {
  const user = author.userId ? (names.get(author.userId) ?? 'someone') : null
  if (author.kind === AuthorKind.Agent) return `Mimi for ${user ?? 'someone'}`
  if (author.kind === AuthorKind.Mirror) return 'workspace'
  if (author.kind === AuthorKind.Server) return 'server'
  return user ?? 'someone'
}

/**
 * The text of `text` (a document kept without garbage collection) without the characters `edits` added, and
 * with the characters they deleted that still have their content.
 */
function withoutEdits(text: Y.Text, edits: EditRange[]): string {
  const added = addedBy(edits)
  const deleted = edits.flatMap((e) => (e.deletes ? [Y.decodeSnapshot(e.deletes).ds] : []))
  const deletedBy = (client: number, clock: number) =>
    deleted.some((ds) => Y.isDeleted(ds, { client, clock }))
  let out = ''
  for (let item = text._start; item; item = item.right) {
    if (!(item.content instanceof Y.ContentString)) continue
    const str = item.content.str
    for (let i = 0; i < str.length; i++) {
      const clock = item.id.clock + i
      if (added(item.id.client, clock)) continue
      if (!item.deleted || deletedBy(item.id.client, clock)) out += str[i]
    }
  }
  return out
}
