import { Hocuspocus } from '@hocuspocus/server'
import { parseDocName, parseProjectDocName } from '@mimiverse/shared'
import type { Logger } from '@mimiverse/server-kit'
import type { Env } from './env'
import type { CollabMetrics } from './metrics'
import type { Services } from './services/index'
import type { SocketRegistry } from './sockets/registry'
import { redisExtension } from './services/redis'
import { AuthExtension } from './extensions/auth'
import { AwarenessThrottleExtension } from './extensions/awareness-throttle'
import { DurableLogExtension } from './extensions/durable-log'
import { PresenceGuardExtension } from './extensions/presence-guard'
import { LiveApplyExtension } from './extensions/live-apply'
import { AuthorshipExtension } from './extensions/authorship'
import { VersionsExtension } from './extensions/versions'
import { UpdateBroadcastExtension } from './patches/update-broadcast'
import { ProjectActivityExtension, type ProjectActivityListener } from './extensions/project-activity'

/** The Hocuspocus instance of a node with our extensions, in hook order. */
export function createHocuspocus(deps: {
  env: Env
  services: Services
  metrics: CollabMetrics
  log: Logger
  /** Told each project's connection count on this node (a mounted runner keeps active workspaces). */
  onProjectActivity?: ProjectActivityListener
  registry: SocketRegistry
  /** Rate limited: for what clients can make us log before they are authenticated. */
  strangerLog: Logger
}): Hocuspocus {
  const { env, services, metrics, log } = deps
  return new Hocuspocus({
    quiet: true,
    debounce: env.STORE_DEBOUNCE_MS,
    maxDebounce: env.STORE_MAX_DEBOUNCE_MS,
    extensions: [
      // Several nodes: changes and awareness travel between nodes over Redis pub/sub. Each node still logs
      // what its own clients send before acknowledging, so durability holds on every node.
      ...(env.REDIS_URL ? [redisExtension(env.REDIS_URL, env.REDIS_PREFIX)] : []),
      new AuthExtension({
        tokens: services.tokens,
        access: services.access,
        registry: deps.registry,
        log: deps.strangerLog.child({ component: 'auth' }),
        onRefused: (code) => metrics.refusedConnections.inc({ code: String(code) }),
      }),
      new PresenceGuardExtension({
        rates: {
          messagesPerSecond: env.COLLAB_PRESENCE_RATE,
          bytesPerSecond: env.COLLAB_PRESENCE_BYTES_RATE,
          burstSeconds: env.COLLAB_PRESENCE_BURST_SECONDS,
        },
        log: log.child({ component: 'presence' }),
        onRefused: (reason) => metrics.refusedPresence.inc({ reason }),
      }),
      new DurableLogExtension({
        store: services.store,
        log: log.child({ component: 'durable-log' }),
        compactMinRows: env.STORE_COMPACT_MIN_ROWS,
        exists: async (name) => {
          const doc = parseDocName(name)
          // A project document (the commit message) has no file row: it lives as long as its project.
          if (!doc) return parseProjectDocName(name) !== null
          return services.access.fileExists(doc.projectId, doc.fileId)
        },
      }),
      new LiveApplyExtension({
        log: log.child({ component: 'live-apply' }),
        onThrow: () => metrics.unapplicableUpdates.inc({ stage: 'document' }),
      }),
      new AuthorshipExtension(services.authorship),
      new VersionsExtension({
        versions: services.versions,
        log: log.child({ component: 'versions' }),
        timing: { idleMs: env.HISTORY_IDLE_MS, maxIntervalMs: env.HISTORY_MAX_INTERVAL_MS },
      }),
      new UpdateBroadcastExtension({ log: log.child({ component: 'broadcast' }) }),
      new AwarenessThrottleExtension({
        intervalMs: env.COLLAB_AWARENESS_INTERVAL_MS,
        log: log.child({ component: 'awareness' }),
        onError: (callback) => metrics.callbackErrors.inc({ callback }),
      }),
      ...(deps.onProjectActivity ? [new ProjectActivityExtension(deps.onProjectActivity)] : []),
    ],
  })
}
