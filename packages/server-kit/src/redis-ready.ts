import type { Redis } from 'ioredis'

/**
 * Waits for a Redis client that is still making its first connection (the service just started), and fails at
 * once when it is reconnecting after a failure, so a Redis outage adds no latency to requests: callers
 * treat the failure as "no Redis this time" (limit not enforced, cache miss) and log it.
 */
export function redisReady(redis: Redis, timeoutMs = 1000): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve()
  if (!['wait', 'connecting', 'connect'].includes(redis.status)) {
    return Promise.reject(new Error(`Redis is ${redis.status}`))
  }
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer)
      redis.off('ready', onReady)
      redis.off('error', onError)
      if (error) reject(error)
      else resolve()
    }
    const onReady = () => done()
    const onError = (e: Error) => done(e)
    const timer = setTimeout(() => done(new Error('Redis did not become ready in time')), timeoutMs)
    redis.once('ready', onReady)
    redis.once('error', onError)
  })
}
