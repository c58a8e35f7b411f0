import { VersionKind, type VersionStamp } from '@mimiverse/db'

/** How long file history keeps its versions, and how densely. All spans in ms. */
export interface RetentionPolicy {
  /** Every version younger than this is kept. */
  keepAllMs: number
  /** Older than `keepAllMs` and younger than this: the newest version of each hour. */
  hourlyMs: number
  /** Older than `hourlyMs` and younger than this: the newest version of each day; older ones go. */
  retentionMs: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * The versions to keep, thinning older history the way backups are thinned: all of the recent ones, then one an
 * hour, then one a day, then none. Named versions are always kept (someone chose them), and so is each document's
 * newest version (the next version is stored as a diff from it). `versions` are one document's, in any order.
 */
export function versionsToKeep(
  versions: Pick<VersionStamp, 'id' | 'seq' | 'kind' | 'createdAt'>[],
  now: number,
  policy: RetentionPolicy,
): Set<string> {
  const keep = new Set<string>()
  type Stamp = (typeof versions)[number]
  const newestOfBucket = new Map<string, Stamp>()
  let newest: Stamp | undefined
  for (const v of versions) {
    if (!newest || v.seq > newest.seq) newest = v
    const age = now - v.createdAt.getTime()
    if (v.kind === VersionKind.Named || age < policy.keepAllMs) {
      keep.add(v.id)
      continue
    }
    const bucket =
      age < policy.hourlyMs
        ? `h${Math.floor(v.createdAt.getTime() / HOUR)}`
        : age < policy.retentionMs
          ? `d${Math.floor(v.createdAt.getTime() / DAY)}`
          : null
    if (bucket === null) continue
    const held = newestOfBucket.get(bucket)
    if (!held || v.seq > held.seq) newestOfBucket.set(bucket, v)
  }
  for (const v of newestOfBucket.values()) keep.add(v.id)
  if (newest) keep.add(newest.id)
  return keep
}
