import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { acquireWorkspaceLease, releaseWorkspaceLease, type Db } from '@mimiverse/db'
import { AppError, ErrorCode } from '@mimiverse/shared'
import type { CollabTokenIssuer, Logger } from '@mimiverse/server-kit'
import { openCollabLink, type CollabLink } from './collab-link'
import type { ProjectFiles } from './project-files'
import { ProjectMirror } from './project-mirror'
import { WorkspaceDisk } from './workspace-disk'

/**
 * Which workspaces are mirrored, and by whom.
 *
 * A project's workspace is *active* while someone is in it on this node (a document connection: the collab
 * node reports counts through `activity`) or while a terminal holds it (`ensureWorkspace` /
 * `releaseWorkspace`, counted); it stays mirrored `idleMs` after it stopped being active, so a reload does not
 * rebuild it. Stopping writes what is pending and leaves the documents; the tree stays on disk and is
 * reconciled with the database at the next start.
 *
 * Ownership: one runner mirrors a project at a time, whatever the number of collab nodes. A runner mirrors a
 * project only while it holds the project's lease (a `workspace_leases` row, renewed every third of its
 * lifetime); a runner whose lease is taken (it stalled past expiry) stops mirroring that project. A runner
 * that wanted the project meanwhile takes the lease when it is released or expires.
 */
export interface WorkspaceMirror {
  /** Makes sure the project's tree is mirrored (for a terminal); resolves to its folder. Counted. */
  ensureWorkspace(projectId: string): Promise<string>
  /** Undoes one `ensureWorkspace`. */
  releaseWorkspace(projectId: string): void
  /** This node's document connections of a project changed (the collab node's project activity). */
  activity(projectId: string, connections: number): void
  /**
   * Writes every document change and reads every disk change of a mirrored project now (see
   * `ProjectMirror.syncNow`); nothing when it is not mirrored here.
   */
  flush(projectId: string): Promise<void>
  /** The folder of a project's tree (whether or not it is mirrored). */
  folderOf(projectId: string): string
  /** The running project mirror, if any (tests and benchmarks). */
  mirrorOf(projectId: string): ProjectMirror | undefined
  close(): Promise<void>
}

export interface WorkspaceMirrorOptions {
  db: Db
  files: ProjectFiles
  tokens: CollabTokenIssuer
  /** The collab WebSocket the mirror joins documents through; read when a project starts. */
  collabUrl: () => string
  log: Logger
  workspacesDir: string
  debounceMs: number
  pollMs: number
  maxBytes: number
  maxFiles: number
  leaseMs: number
  idleMs: number
}

interface Entry {
  holds: number
  connections: number
  mirror?: ProjectMirror
  starting?: Promise<ProjectMirror>
  link?: CollabLink
  idle?: NodeJS.Timeout
  renew?: NodeJS.Timeout
  retry?: NodeJS.Timeout
}

export function createWorkspaceMirror(options: WorkspaceMirrorOptions): WorkspaceMirror {
  const { db, log } = options
  const holder = `runner-${randomUUID()}`
  const entries = new Map<string, Entry>()
  const entry = (projectId: string) => {
    let e = entries.get(projectId)
    if (!e) entries.set(projectId, (e = { holds: 0, connections: 0 }))
    return e
  }
  const folderOf = (projectId: string) => join(options.workspacesDir, projectId)
  const lease = (projectId: string) =>
    acquireWorkspaceLease(db, { projectId, holder, ttlMs: options.leaseMs })

  const start = async (projectId: string, e: Entry): Promise<ProjectMirror> => {
    if (!(await lease(projectId))) {
      throw new AppError(ErrorCode.Conflict, 'This workspace is run by another server node right now')
    }
    const link = (e.link = openCollabLink({
      url: options.collabUrl(),
      token: () => options.tokens.issueWorkspace(projectId).token,
      timeoutMs: 30_000,
    }))
    const mirror = new ProjectMirror({
      projectId,
      disk: new WorkspaceDisk(folderOf(projectId)),
      files: options.files,
      link,
      log: log.child({ projectId }),
      debounceMs: options.debounceMs,
      pollMs: options.pollMs,
      maxBytes: options.maxBytes,
      maxFiles: options.maxFiles,
    })
    try {
      await mirror.start()
    } catch (e: unknown) {
      await mirror.stop()
      link.close()
      await releaseWorkspaceLease(db, projectId, holder)
      throw e
    }
    e.renew = setInterval(() => void renew(projectId), options.leaseMs / 3)
    log.info('workspace mirrored', { projectId, folder: mirror.root })
    return mirror
  }

  const renew = async (projectId: string) => {
    const e = entries.get(projectId)
    if (!e?.mirror) return
    const held = await lease(projectId).catch((error: unknown) => {
      log.warn('renewing a workspace lease failed', { projectId, error })
      return true
    })
    if (!held) {
      log.warn('another runner took this workspace over; it is no longer mirrored here', { projectId })
      await stop(projectId, false)
    }
  }

  const want = (projectId: string): Promise<ProjectMirror> => {
    const e = entry(projectId)
    clearTimeout(e.idle)
    e.idle = undefined
    if (e.mirror) return Promise.resolve(e.mirror)
    e.starting ??= start(projectId, e).then(
      (mirror) => {
        e.starting = undefined
        e.mirror = mirror
        return mirror
      },
      (error: unknown) => {
        e.starting = undefined
        throw error
      },
    )
    return e.starting
  }

  const stop = async (projectId: string, release = true) => {
    const e = entries.get(projectId)
    if (!e) return
    entries.delete(projectId)
    clearTimeout(e.idle)
    clearInterval(e.renew)
    clearTimeout(e.retry)
    const mirror = e.mirror ?? (await e.starting?.catch(() => undefined))
    await mirror?.stop()
    e.link?.close()
    if (release) await releaseWorkspaceLease(db, projectId, holder).catch(() => {})
    if (mirror) log.info('workspace no longer mirrored', { projectId })
  }

  /** Starts an active project's mirror; while another runner holds it, tries again once per lease period. */
  const wantActive = (projectId: string) => {
    want(projectId).catch((error: unknown) => {
      log.info('workspace not mirrored on this node', { projectId, reason: String(error) })
      const e = entries.get(projectId)
      if (!e || e.retry || (e.connections === 0 && e.holds === 0)) return
      e.retry = setTimeout(() => {
        e.retry = undefined
        if (entries.get(projectId) === e && e.connections > 0) wantActive(projectId)
      }, options.leaseMs)
    })
  }

  const maybeIdle = (projectId: string) => {
    const e = entries.get(projectId)
    if (!e || e.holds > 0 || e.connections > 0 || e.idle) return
    e.idle = setTimeout(() => void stop(projectId), options.idleMs)
  }

  return {
    ensureWorkspace: async (projectId) => {
      entry(projectId).holds++
      try {
        return (await want(projectId)).root
      } catch (e: unknown) {
        entry(projectId).holds--
        maybeIdle(projectId)
        throw e
      }
    },
    releaseWorkspace: (projectId) => {
      const e = entries.get(projectId)
      if (!e || e.holds === 0) return
      e.holds--
      maybeIdle(projectId)
    },
    activity: (projectId, connections) => {
      entry(projectId).connections = connections
      if (connections > 0) wantActive(projectId)
      else maybeIdle(projectId)
    },
    flush: async (projectId) => {
      await entries.get(projectId)?.mirror?.syncNow()
    },
    folderOf,
    mirrorOf: (projectId) => entries.get(projectId)?.mirror,
    close: async () => {
      await Promise.all([...entries.keys()].map((projectId) => stop(projectId)))
    },
  }
}
