import {
  AppError,
  ErrorCode,
  filePathProblem,
  forEachConcurrently,
  normalizeFilePath,
} from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { CollabLink } from './collab-link'
import { FileMirror } from './file-mirror'
import { gitignoreFolder, IgnoreRules } from './ignore-rules'
import type { ProjectFile, ProjectFiles } from './project-files'
import { TreeWatcher } from './tree-watcher'
import type { WorkspaceDisk } from './workspace-disk'

export interface ProjectMirrorOptions {
  projectId: string
  disk: WorkspaceDisk
  files: ProjectFiles
  link: CollabLink
  log: Logger
  debounceMs: number
  pollMs: number
  maxBytes: number
  maxFiles: number
}

/** Documents joined at once while a tree is built (each is a round trip to the collab server). */
const JOIN_CONCURRENCY = 8

/**
 * One project's working tree, mirrored both ways (see FileMirror for one file).
 *
 * Start: every file of the project (the database is the source of truth) is joined and written where its text
 * differs; text files on disk that are no project file and not ignored are removed (they belong to files deleted
 * while the tree was not mirrored); ignored files, binaries and files over the size bound stay.
 *
 * The project's file list is then polled (as the IDE's file tree does) to follow files created, renamed and
 * deleted by people; the tree is watched to follow commands: a changed file is read into its document, a new
 * text file becomes a project file (through the same file service as the API), a removed one is deleted. Files
 * that `.gitignore` excludes stay on disk only, as in git, unless they are project files already. So do files
 * whose name is no project path as it stands (see `diskNameProblem`).
 */
export class ProjectMirror {
  private readonly byId = new Map<string, FileMirror>()
  private readonly byPath = new Map<string, FileMirror>()
  private readonly rules = new IgnoreRules()
  private readonly pending = new Map<string, NodeJS.Timeout>()
  private readonly creating = new Set<string>()
  /** Disk changes being read now (a flush waits for them: a new file may be becoming a project file). */
  private readonly reading = new Set<Promise<void>>()
  private watcher: TreeWatcher | null = null
  private pollTimer: NodeJS.Timeout | undefined
  /** The file-list read in progress: two at once would join a new file twice. */
  private polling: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(private readonly options: ProjectMirrorOptions) {}

  get root(): string {
    return this.options.disk.root
  }

  async start(): Promise<void> {
    const { disk, files, projectId } = this.options
    await disk.create()
    const list = await files.list(projectId)
    if (list.length > this.options.maxFiles) {
      throw new AppError(
        ErrorCode.BadRequest,
        `This project has ${list.length} files; a workspace holds at most ${this.options.maxFiles}`,
      )
    }
    await forEachConcurrently(list, JOIN_CONCURRENCY, (file) => this.add(file))
    await this.loadIgnoreRules()
    await this.removeStrays()
    this.watcher = new TreeWatcher({
      root: disk.root,
      skipFolder: (path) => this.rules.ignored(path, true) && !this.holdsFilesIn(path),
      onChange: (path) => this.diskChanged(path),
      onLimit: (path) => this.options.log.warn('workspace folder not watched: too many folders', { path }),
      maxFolders: this.options.maxFiles * 4,
    })
    await this.watcher.start()
    this.schedulePoll()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.pollTimer)
    for (const t of this.pending.values()) clearTimeout(t)
    this.watcher?.close()
    await Promise.all([...this.byId.values()].map((f) => f.stop()))
    this.byId.clear()
    this.byPath.clear()
  }

  /** Resolves once every file's pending work is done (tests and benchmarks). */
  async settled(): Promise<void> {
    await Promise.all([...this.byId.values()].map((f) => f.settled()))
  }

  /** Writes every document change still waiting for its debounce to disk now (before git reads the tree). */
  async flush(): Promise<void> {
    await Promise.all([...this.byId.values()].map((f) => f.flush()))
  }

  /**
   * Reads these paths from disk now, as the watcher would after its debounce, and resolves once their changes
   * are in the documents (new files created, removed ones deleted): after git rewrote them, so that no later
   * start of the mirror takes the disk for stale.
   */
  async readNow(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      if (this.stopped) return
      clearTimeout(this.pending.get(path))
      this.pending.delete(path)
      await this.readChange(path, true)
    }
    await this.settled()
  }

  private async add(file: ProjectFile, fromDisk = false): Promise<void> {
    const mirror = new FileMirror({
      ...file,
      disk: this.options.disk,
      link: this.options.link,
      debounceMs: this.options.debounceMs,
      maxBytes: this.options.maxBytes,
      log: this.options.log,
      onLost: (lost) => this.forget(lost),
    })
    this.byId.set(file.id, mirror)
    this.byPath.set(file.path, mirror)
    try {
      await mirror.start(fromDisk)
    } catch (e: unknown) {
      this.forget(mirror)
      this.options.log.warn('workspace file not mirrored', { path: file.path, error: e })
    }
  }

  /** Drops a file from the mirror (not from disk); the next poll joins it again if it still exists. */
  private forget(mirror: FileMirror) {
    if (this.byId.get(mirror.id) === mirror) this.byId.delete(mirror.id)
    if (this.byPath.get(mirror.path) === mirror) this.byPath.delete(mirror.path)
    mirror.discard()
  }

  private schedulePoll() {
    if (this.stopped) return
    this.pollTimer = setTimeout(() => {
      this.pollNow()
        .catch((e: unknown) => this.options.log.warn('reading the file list failed', { error: e }))
        .finally(() => this.schedulePoll())
    }, this.options.pollMs)
  }

  /** One file-list read after any in progress. */
  private pollNow(): Promise<void> {
    const next = this.polling.then(() => this.poll())
    this.polling = next.catch(() => undefined)
    return next
  }

  /**
   * Brings disk and documents together now, without waiting for the debounce or the next file-list read: the
   * project's file list is read (files created, renamed or deleted meanwhile), every document change is
   * written, every disk change made before the call is read (the watcher's barrier). Before a command runs (it must see every edit made so far) and
   * after it ended (its changes must be in the documents before anyone reads them).
   */
  async syncNow(): Promise<void> {
    if (this.stopped) return
    await this.watcher?.barrier()
    await this.pollNow()
    const reads = [...this.pending.keys()]
    for (const path of reads) clearTimeout(this.pending.get(path))
    this.pending.clear()
    for (const path of reads) await this.readQueued(path)
    await Promise.all([...this.reading])
    await Promise.all([...this.byId.values()].map((f) => f.settleNow()))
  }

  /** Follows the project's file list: new files are joined, renamed ones moved, deleted ones removed. */
  private async poll(): Promise<void> {
    const list = await this.options.files.list(this.options.projectId)
    if (this.stopped) return
    const current = new Set(list.map((f) => f.id))
    for (const mirror of [...this.byId.values()]) {
      if (current.has(mirror.id)) continue
      this.forget(mirror)
      // A write in flight would otherwise bring the file back after its removal.
      await mirror.settled()
      await this.options.disk.remove(mirror.path)
    }
    for (const file of list) {
      const mirror = this.byId.get(file.id)
      if (!mirror) {
        if (!this.creating.has(file.path)) await this.add(file)
      } else if (mirror.path !== file.path) {
        this.byPath.delete(mirror.path)
        this.byPath.set(file.path, mirror)
        await mirror.renamed(file.path)
      }
    }
  }

  private diskChanged(path: string) {
    if (this.stopped) return
    clearTimeout(this.pending.get(path))
    this.pending.set(
      path,
      setTimeout(() => {
        this.pending.delete(path)
        void this.readQueued(path)
      }, this.options.debounceMs),
    )
  }

  /** Reads a disk change, counted in `reading` until done. */
  private readQueued(path: string): Promise<void> {
    const read = this.readChange(path).catch((e: unknown) =>
      this.options.log.warn('workspace change not mirrored', { path, error: e }),
    )
    this.reading.add(read)
    void read.finally(() => this.reading.delete(read))
    return read
  }

  /** A path changed on disk: a file's text, a new file, a removed file or folder. */
  private async readChange(path: string, now = false): Promise<void> {
    const folder = gitignoreFolder(path)
    if (folder !== null) await this.loadIgnoreRule(folder)
    const known = this.byPath.get(path)
    if (known) {
      const read = await this.options.disk.read(path, this.options.maxBytes)
      if (read.kind !== 'missing') return now ? known.readNow() : known.diskChanged()
      this.forget(known)
      return this.options.files.delete(this.options.projectId, known.id)
    }
    // A removed folder takes its files with it.
    for (const [p, mirror] of [...this.byPath]) {
      if (!p.startsWith(`${path}/`)) continue
      if ((await this.options.disk.read(p, this.options.maxBytes)).kind !== 'missing') continue
      this.forget(mirror)
      await this.options.files.delete(this.options.projectId, mirror.id)
    }
    await this.createFromDisk(path)
  }

  /** A file that is no project file yet: it becomes one, unless ignored or not mirrorable text. */
  private async createFromDisk(path: string): Promise<void> {
    if (this.rules.ignored(path) || this.creating.has(path)) return
    const nameProblem = diskNameProblem(path)
    if (nameProblem) {
      this.options.log.info('workspace file stays on disk only', { path, reason: nameProblem })
      return
    }
    const read = await this.options.disk.read(path, this.options.maxBytes)
    if (read.kind === 'missing') return
    if (read.kind === 'skip') {
      this.options.log.info('workspace file stays on disk only', { path, reason: read.reason })
      return
    }
    if (this.byId.size + this.creating.size >= this.options.maxFiles) {
      this.options.log.warn('workspace file stays on disk only: the project is at its file limit', {
        path,
        maxFiles: this.options.maxFiles,
      })
      return
    }
    this.creating.add(path)
    try {
      const file = await this.createFile(path, read.text)
      if (!file) return
      await this.add(file, true)
      // Changes during the creation were read by `add`; a removal has to be looked for.
      const mirror = this.byId.get(file.id)
      if (mirror && (await this.options.disk.read(path, this.options.maxBytes)).kind === 'missing') {
        this.forget(mirror)
        await this.options.files.delete(this.options.projectId, file.id)
      }
    } finally {
      this.creating.delete(path)
    }
  }

  /**
   * The project file for a new file on disk, or null when the project refuses its path (a case twin of a file or
   * folder, a file where a folder is): it stays on disk only, as a command may well make such a file.
   */
  private async createFile(path: string, text: string): Promise<ProjectFile | null> {
    try {
      return await this.options.files.create(this.options.projectId, path, text)
    } catch (e: unknown) {
      if (!(e instanceof AppError) || e.code !== ErrorCode.Conflict) throw e
      this.options.log.info('workspace file stays on disk only', { path, reason: e.message })
      return null
    }
  }

  /** Text files on disk that are no project file and not ignored are removed: the database is the truth. */
  private async removeStrays(): Promise<void> {
    const strays = await this.options.disk.list((path, folder) => this.rules.ignored(path, folder))
    for (const path of strays) {
      if (this.byPath.has(path)) continue
      const read = await this.options.disk.read(path, this.options.maxBytes)
      if (read.kind !== 'text') continue
      this.options.log.info('removing a workspace file that is no project file', { path })
      await this.options.disk.remove(path)
    }
  }

  private async loadIgnoreRules(): Promise<void> {
    await this.loadIgnoreRule('')
    const all = await this.options.disk.list((path, folder) => folder && this.rules.ignored(path, true))
    for (const path of all) {
      const folder = gitignoreFolder(path)
      if (folder !== null) await this.loadIgnoreRule(folder)
    }
  }

  private async loadIgnoreRule(folder: string): Promise<void> {
    const path = folder === '' ? '.gitignore' : `${folder}/.gitignore`
    const read = await this.options.disk.read(path, this.options.maxBytes)
    this.rules.set(folder, read.kind === 'text' ? read.text : null)
  }

  private holdsFilesIn(folder: string): boolean {
    for (const path of this.byPath.keys()) if (path.startsWith(`${folder}/`)) return true
    return false
  }
}

/**
 * Why a name on disk can't be a project path exactly as it is, or null. It must be valid and already in the form
 * the server stores (NFC), so that a file and its document keep one name both ways: a name in another Unicode
 * form (`ü` decomposed) would be stored composed and written back beside the original. A name the file system
 * could not decode as UTF-8 reaches Node with U+FFFD in place of its bytes.
 */
function diskNameProblem(path: string): string | null {
  if (path.includes('\uFFFD')) return 'name is not valid UTF-8'
  const problem = filePathProblem(path)
  if (problem) return problem
  return path === normalizeFilePath(path) ? null : 'name is not in the Unicode form of project paths (NFC)'
}
