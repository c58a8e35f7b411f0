import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, readdir, rename, rmdir, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { decodeText } from '@mimiverse/server-kit'

/**
 * One project's working tree on disk, addressed by project paths (`src/a.ts`, validated by the caller). The
 * tree is shared with the commands run in it, so nothing here trusts what is on disk: symbolic links are never
 * followed (a command could point one at the server's data), files are read with a size bound, and every write
 * goes to a temporary file in the same folder and is renamed over the old one, so a reader (an editor, `cat`,
 * a compiler) never sees a half-written file.
 */
export type DiskRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'skip'; reason: string }

/** Temporary files of our atomic writes: `.<name>.mimi-<hex>.tmp`, never mirrored. */
export const TEMP_FILE = /^\..*\.mimi-[0-9a-f]{12}\.tmp$/

export class WorkspaceDisk {
  constructor(readonly root: string) {}

  abs(path: string): string {
    return path === '' ? this.root : join(this.root, ...path.split('/'))
  }

  /** Creates the tree's folder (mode 0700: only the server's user may enter it). */
  async create(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 })
  }

  /** Reads a file as text, or says it is missing or why it is not mirrored. */
  async read(path: string, maxBytes: number): Promise<DiskRead> {
    if (!(await this.realFolders(path))) return { kind: 'missing' }
    const info = await lstat(this.abs(path)).catch(ignoreMissing)
    if (!info) return { kind: 'missing' }
    if (info.isSymbolicLink()) return { kind: 'skip', reason: 'symbolic link (not followed)' }
    if (!info.isFile()) return { kind: 'missing' }
    if (info.size > maxBytes) return { kind: 'skip', reason: `larger than ${maxBytes} bytes` }
    let bytes: Buffer
    try {
      // O_NOFOLLOW: the file may have become a link since lstat.
      const handle = await open(this.abs(path), constants.O_RDONLY | constants.O_NOFOLLOW)
      try {
        bytes = await handle.readFile()
      } finally {
        await handle.close()
      }
    } catch (e: unknown) {
      if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'missing' }
      throw e
    }
    if (bytes.length > maxBytes) return { kind: 'skip', reason: `larger than ${maxBytes} bytes` }
    const decoded = decodeText(bytes)
    return decoded.kind === 'text' ? decoded : { kind: 'skip', reason: decoded.reason }
  }

  /** Replaces the file's content atomically (temporary file in the same folder, then rename). */
  async write(path: string, text: string): Promise<void> {
    await this.makeFolders(dirname(path))
    const target = this.abs(path)
    const temp = join(dirname(target), `.${basename(path)}.mimi-${randomBytes(6).toString('hex')}.tmp`)
    try {
      await writeFile(temp, text, { flag: 'wx', mode: 0o644 })
      await rename(temp, target)
    } catch (e: unknown) {
      await unlink(temp).catch(() => {})
      throw e
    }
  }

  /** Deletes a file (never a folder) and the folders it leaves empty; a missing file is fine. */
  async remove(path: string): Promise<void> {
    if (!(await this.realFolders(path))) return
    await unlink(this.abs(path)).catch(ignoreMissing)
    await this.pruneFolders(dirname(path))
  }

  /** Moves a file to another path; false when it was not there. */
  async move(from: string, to: string): Promise<boolean> {
    if (!(await this.realFolders(from))) return false
    await this.makeFolders(dirname(to))
    try {
      await rename(this.abs(from), this.abs(to))
    } catch (e: unknown) {
      if (isMissing(e)) return false
      throw e
    }
    await this.pruneFolders(dirname(from))
    return true
  }

  /** Every regular file under the tree, skipping folders for which `skip` holds (and links). */
  async list(skip: (path: string, folder: boolean) => boolean): Promise<string[]> {
    const found: string[] = []
    const visit = async (folder: string) => {
      const entries = await readdir(this.abs(folder), { withFileTypes: true }).catch(() => [])
      for (const entry of entries) {
        const path = folder === '' ? entry.name : `${folder}/${entry.name}`
        if (entry.isDirectory()) {
          if (!skip(path, true)) await visit(path)
        } else if (entry.isFile() && !skip(path, false)) found.push(path)
      }
    }
    await visit('')
    return found
  }

  /** Whether every folder above `path` is a real folder (not a link) or missing. */
  private async realFolders(path: string): Promise<boolean> {
    const parts = path.split('/').slice(0, -1)
    for (let i = 1; i <= parts.length; i++) {
      const info = await lstat(this.abs(parts.slice(0, i).join('/'))).catch(ignoreMissing)
      if (!info) return true
      if (!info.isDirectory()) return false
    }
    return true
  }

  /** Creates the folders of `folder` one by one, refusing to pass through a link or a file. */
  private async makeFolders(folder: string): Promise<void> {
    if (folder === '.' || folder === '') return
    const parts = folder.split('/')
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/')
      const info = await lstat(this.abs(path)).catch(ignoreMissing)
      if (!info) await mkdir(this.abs(path)).catch((e: unknown) => ignoreCode(e, 'EEXIST'))
      else if (!info.isDirectory()) throw new Error(`"${path}" in the workspace is not a folder`)
    }
  }

  private async pruneFolders(folder: string): Promise<void> {
    for (let f = folder; f !== '.' && f !== ''; f = dirname(f)) {
      const removed = await rmdir(this.abs(f)).then(
        () => true,
        () => false,
      )
      if (!removed) return
    }
  }
}

const basename = (path: string) => path.slice(path.lastIndexOf('/') + 1)
const isMissing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes(String((e as NodeJS.ErrnoException).code))

function ignoreMissing(e: unknown): undefined {
  if (isMissing(e)) return undefined
  throw e
}

function ignoreCode(e: unknown, code: string): void {
  if ((e as NodeJS.ErrnoException).code !== code) throw e
}
