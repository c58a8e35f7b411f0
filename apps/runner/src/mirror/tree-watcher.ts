import { randomBytes } from 'node:crypto'
import { watch, type FSWatcher } from 'node:fs'
import { lstat, readdir, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Watches a working tree for changes: one `fs.watch` (inotify on Linux) per folder, so folders that stay on
 * disk only (`node_modules`, ignored build output) cost nothing, which Node's `recursive: true` cannot skip.
 * A new folder is watched and its contents reported (files written before its watch began are not missed); a
 * removed folder's watches are closed. Reports project paths; whether anything changed is for the caller to
 * decide by reading the path. At most `maxFolders` folders are watched (each is a kernel watch), with a log
 * line when the tree has more.
 */
export interface TreeWatcherOptions {
  root: string
  /** Whether a folder stays unwatched (ignored folders). */
  skipFolder: (path: string) => boolean
  onChange: (path: string) => void
  onLimit: (path: string) => void
  maxFolders: number
}

/** Longest wait for a barrier's own event (a tree whose root is not watched any more, say). */
const BARRIER_TIMEOUT_MS = 2000

export class TreeWatcher {
  private readonly watchers = new Map<string, FSWatcher>()
  private readonly barriers = new Map<string, () => void>()
  private closed = false

  constructor(private readonly options: TreeWatcherOptions) {}

  async start(): Promise<void> {
    await this.watchFolder('', false)
  }

  close(): void {
    this.closed = true
    for (const release of [...this.barriers.values()]) release()
    for (const w of this.watchers.values()) w.close()
    this.watchers.clear()
  }

  /**
   * Resolves once every change made in the tree before the call has been reported. It writes a file of its own
   * in the root (named as the mirror's temporary files, which are never mirrored) and waits for its event: one
   * inotify queue serves every watch, in order, so every earlier event was delivered before it.
   */
  async barrier(): Promise<void> {
    if (this.closed || !this.watchers.has('')) return
    const name = `.sync.mimi-${randomBytes(6).toString('hex')}.tmp`
    const seen = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.barriers.get(name)?.(), BARRIER_TIMEOUT_MS)
      this.barriers.set(name, () => {
        clearTimeout(timer)
        this.barriers.delete(name)
        resolve()
      })
    })
    try {
      await writeFile(this.abs(name), '')
    } catch {
      this.barriers.get(name)?.()
    }
    await seen
    await unlink(this.abs(name)).catch(() => undefined)
  }

  private abs(path: string) {
    return path === '' ? this.options.root : join(this.options.root, ...path.split('/'))
  }

  /** Watches `folder` and, below it, every folder not skipped; `report` also reports each file found. */
  private async watchFolder(folder: string, report: boolean): Promise<void> {
    if (this.closed || this.watchers.has(folder)) return
    if (this.watchers.size >= this.options.maxFolders) return this.options.onLimit(folder)
    let watcher: FSWatcher
    try {
      watcher = watch(this.abs(folder), (_event, name) => {
        if (folder === '' && name && this.barriers.has(name)) return this.barriers.get(name)!()
        if (name) this.changed(folder === '' ? name : `${folder}/${name}`)
      })
    } catch {
      return // Gone already.
    }
    watcher.on('error', () => this.unwatch(folder))
    this.watchers.set(folder, watcher)
    const entries = await readdir(this.abs(folder), { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`
      if (entry.isDirectory()) {
        if (!this.options.skipFolder(path)) await this.watchFolder(path, report)
      } else if (report) this.options.onChange(path)
    }
  }

  private changed(path: string) {
    if (this.closed) return
    this.options.onChange(path)
    void lstat(this.abs(path)).then(
      (info) => {
        if (info.isDirectory() && !this.options.skipFolder(path)) return this.watchFolder(path, true)
      },
      () => this.unwatch(path),
    )
  }

  /** Closes the watches of `folder` and everything below it (it was removed or renamed). */
  private unwatch(folder: string) {
    for (const [path, w] of this.watchers) {
      if (path === folder || path.startsWith(`${folder}/`)) {
        w.close()
        this.watchers.delete(path)
      }
    }
  }
}
