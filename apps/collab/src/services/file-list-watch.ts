import { fileListStamps, type Db } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'

export interface FileListWatch {
  /** Stops watching and waits for a check in progress. */
  stop(): Promise<void>
}

/**
 * Tells each project's clients when its file list changed, whoever changed it: a person through the API of any
 * node, the workspace mirror, the AI agent and outside agents writing file rows from their own process, `mimi
 * import`. Every `intervalMs` it reads one stamp per project with documents open on this node (one query for
 * all of them) and calls `changed` for each project whose stamp moved. One mechanism for every writer, at the
 * price of up to `intervalMs` of delay.
 */
export function watchFileLists(deps: {
  db: Db
  /** Projects with documents open on this node now. */
  projects: () => Iterable<string>
  changed: (projectId: string) => void
  intervalMs: number
  log: Logger
}): FileListWatch {
  let known = new Map<string, string>()
  let running: Promise<void> | undefined
  const check = async () => {
    const projects = [...new Set(deps.projects())]
    const stamps = await fileListStamps(deps.db, projects)
    const next = new Map<string, string>()
    for (const projectId of projects) {
      const stamp = stamps.get(projectId) ?? 'empty'
      // A project seen for the first time is announced too: its list may have changed between its first
      // document opening here and this check.
      if (known.get(projectId) !== stamp) deps.changed(projectId)
      next.set(projectId, stamp)
    }
    // Projects no longer open here are forgotten: their next stamp is taken afresh.
    known = next
  }
  const timer = setInterval(() => {
    running ??= check()
      .catch((error: unknown) => deps.log.warn('checking file lists failed; retrying', { error }))
      .finally(() => (running = undefined))
  }, deps.intervalMs)
  // Announcements never keep a process alive.
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
