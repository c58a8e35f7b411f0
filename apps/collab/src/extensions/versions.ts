import type {
  beforeUnloadDocumentPayload,
  connectedPayload,
  Extension,
  onChangePayload,
  onDisconnectPayload,
} from '@hocuspocus/server'
import type * as Y from 'yjs'
import { VersionKind } from '@mimiverse/db'
import { parseDocName } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import { SNAPSHOT_ORIGIN } from '../services/doc-store'
import type { VersionMeta, VersionStore } from '../services/versions'
import type { CollabContext } from './auth'

export interface VersionTiming {
  /** A version is taken once a document has had no change for this long, in ms. Default 30 000. */
  idleMs?: number
  /** While people keep typing, a version at least this often, in ms. Default 300 000 (5 minutes). */
  maxIntervalMs?: number
}

interface Dirty {
  doc: Y.Doc
  since: number
  timer: NodeJS.Timeout
}

/**
 * Takes versions of live documents without anyone asking: after a pause in activity, at least every few
 * minutes while people type, before an agent run connects to a document and after it leaves, and when the
 * document leaves memory with changes not yet in a version. Each node versions the documents its clients
 * change; a version that would add nothing (another node took it) is skipped.
 */
export class VersionsExtension implements Extension {
  extensionName = 'versions'
  private readonly dirty = new Map<string, Dirty>()
  private readonly idleMs: number
  private readonly maxIntervalMs: number

  constructor(private readonly deps: { versions: VersionStore; log: Logger; timing?: VersionTiming }) {
    this.idleMs = deps.timing?.idleMs ?? 30_000
    this.maxIntervalMs = deps.timing?.maxIntervalMs ?? 300_000
  }

  onChange({ document, documentName, transactionOrigin }: onChangePayload): Promise<void> {
    // Versions are a file's history; a project document (the commit message) keeps none.
    if (transactionOrigin === SNAPSHOT_ORIGIN || !parseDocName(documentName)) return Promise.resolve()
    const now = Date.now()
    const current = this.dirty.get(documentName)
    if (current) clearTimeout(current.timer)
    const since = current?.since ?? now
    const wait = Math.max(0, Math.min(this.idleMs, since + this.maxIntervalMs - now))
    const timer = setTimeout(() => void this.take(documentName, { kind: VersionKind.Auto }), wait)
    timer.unref()
    this.dirty.set(documentName, { doc: document, since, timer })
    return Promise.resolve()
  }

  async connected({ context, documentName, instance }: connectedPayload): Promise<void> {
    const { agentRunId, user } = context as Partial<CollabContext>
    const doc = instance.documents.get(documentName)
    if (!agentRunId || !doc) return
    const meta = { kind: VersionKind.AgentBefore, runId: agentRunId, createdBy: user?.id ?? null }
    await this.take(documentName, meta, doc)
  }

  async onDisconnect({ context, documentName, document }: onDisconnectPayload): Promise<void> {
    const { agentRunId, user } = context as Partial<CollabContext>
    if (!agentRunId) return
    const meta = { kind: VersionKind.AgentAfter, runId: agentRunId, createdBy: user?.id ?? null }
    await this.take(documentName, meta, document)
  }

  async beforeUnloadDocument({ documentName }: beforeUnloadDocumentPayload): Promise<void> {
    if (this.dirty.has(documentName)) await this.take(documentName, { kind: VersionKind.Auto })
    this.deps.versions.forget(documentName)
  }

  async onDestroy(): Promise<void> {
    for (const name of [...this.dirty.keys()]) await this.take(name, { kind: VersionKind.Auto })
  }

  /** Takes a version now; agent markers are kept even when nothing changed, so the run shows in the list. */
  private async take(documentName: string, meta: VersionMeta, doc?: Y.Doc): Promise<void> {
    const dirty = this.dirty.get(documentName)
    if (dirty) clearTimeout(dirty.timer)
    this.dirty.delete(documentName)
    const document = doc ?? dirty?.doc
    if (!document) return
    try {
      await this.deps.versions.take(documentName, document, meta, meta.kind !== VersionKind.Auto)
    } catch (e: unknown) {
      this.deps.log.warn('version not stored', { doc: documentName, kind: meta.kind, error: e })
    }
  }
}
