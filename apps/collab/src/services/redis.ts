import { Redis as RedisExtension } from '@hocuspocus/extension-redis'
import { Redis } from 'ioredis'
import { createAccessChanges, type AccessChanges, type Logger } from '@mimiverse/server-kit'

/**
 * The Redis connection of a node, used for rate limits and (duplicated by the Hocuspocus Redis extension) for
 * pub/sub between collab nodes. Every key lives under `<prefix>:`.
 */
export function connectRedis(url: string, prefix: string): Redis {
  return new Redis(url, {
    keyPrefix: `${prefix}:`,
    // Fail commands fast while Redis is down instead of queueing them without bound; ioredis keeps reconnecting.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  })
}

/**
 * The Hocuspocus Redis extension: pub/sub of document changes and awareness between collab nodes. It gets its
 * own clients (a subscriber cannot run commands) and puts its channels and locks under `<prefix>:collab`.
 */
export function redisExtension(url: string, prefix: string): RedisExtension {
  return new RedisExtension({
    createClient: () => new Redis(url, { maxRetriesPerRequest: 2 }),
    prefix: `${prefix}:collab`,
  })
}

/**
 * A bus of access changes that a host shares between this server and what it mounts (the embedded AI service),
 * with a Redis connection of its own when `url` is set; `close` ends both.
 */
export function connectAccessChanges(url: string | undefined, prefix: string, log: Logger): AccessChanges {
  const redis = url ? connectRedis(url, prefix) : null
  redis?.on('error', (e: Error) => log.warn('redis error', { error: e.message }))
  const bus = createAccessChanges({ redis, log })
  return {
    ...bus,
    close: async () => {
      await bus.close()
      redis?.disconnect()
    },
  }
}
