import type { RateLimiter } from '@mimiverse/server-kit'
import type { AiMetrics } from '../services/metrics'

/** Counts a request against the user's per-minute limit of a task; refusals are counted in the metrics. */
export async function limited(limiter: RateLimiter, metrics: AiMetrics, task: string, userId: string) {
  try {
    await limiter.hit(userId)
  } catch (e: unknown) {
    metrics.rateLimited.inc({ task })
    throw e
  }
}
