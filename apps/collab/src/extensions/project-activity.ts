import type { connectedPayload, Extension, onDisconnectPayload } from '@hocuspocus/server'
import type { CollabContext } from './auth'

/** Told how many people's connections each project has on this node, whenever the number changes. */
export type ProjectActivityListener = (projectId: string, connections: number) => void

/**
 * Counts each project's document connections on this node (people and the agent; the workspace mirror's own
 * are left out, or it would keep itself running), so a mounted runner can keep a project's workspace while
 * someone is in it. Only connections that were authenticated are counted, each once.
 */
export class ProjectActivityExtension implements Extension {
  extensionName = 'project-activity'
  private readonly open = new Map<string, string>()
  private readonly counts = new Map<string, number>()

  constructor(private readonly listener: ProjectActivityListener) {}

  connected({ context, socketId, documentName }: connectedPayload): Promise<void> {
    const { projectId, workspace } = context as Partial<CollabContext>
    const key = `${socketId} ${documentName}`
    if (projectId && !workspace && !this.open.has(key)) {
      this.open.set(key, projectId)
      this.change(projectId, 1)
    }
    return Promise.resolve()
  }

  onDisconnect({ socketId, documentName }: onDisconnectPayload): Promise<void> {
    const key = `${socketId} ${documentName}`
    const projectId = this.open.get(key)
    if (projectId) {
      this.open.delete(key)
      this.change(projectId, -1)
    }
    return Promise.resolve()
  }

  private change(projectId: string, by: number) {
    const n = (this.counts.get(projectId) ?? 0) + by
    if (n > 0) this.counts.set(projectId, n)
    else this.counts.delete(projectId)
    this.listener(projectId, n)
  }
}

/** Where a mounted service subscribes to project activity (see `MountDeps.projectActivity`). */
export interface ProjectActivity {
  /** Calls `listener` on every change from now on; returns the unsubscribe function. */
  subscribe(listener: ProjectActivityListener): () => void
}

/** A bus between the node's extension (`notify`) and the services mounted on it (`subscribe`). */
export function createProjectActivity(): ProjectActivity & { notify: ProjectActivityListener } {
  const listeners = new Set<ProjectActivityListener>()
  return {
    notify: (projectId, connections) => {
      for (const listener of listeners) listener(projectId, connections)
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
