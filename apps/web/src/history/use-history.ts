import { useCallback, useEffect, useState } from 'react'
import type { AuthorInput } from '@mimiverse/shared'
import { api } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { useCoalescedRead } from '../api/use-coalesced-read'
import type { BlameLine, Version } from './history-model'

/** Automatic versions appear after a pause in typing: re-read this often while the view is shown. */
const POLL_MS = 5_000

/** A rollback: whose edits, optionally only those between two times. */
export interface Rollback {
  author: AuthorInput
  from?: Date
  to?: Date
}

export interface FileHistory {
  /** Newest first; null until read. */
  versions: Version[] | null
  /** The file's blame, read with the versions (the rollback menu lists its authors). */
  blame: BlameLine[]
  error: string | null
  refresh: () => void
  name: (name: string) => Promise<void>
  restore: (versionId: string) => Promise<void>
  rollback: (r: Rollback) => Promise<void>
}

/**
 * The versions of one file while the History view shows it: read when shown, every few seconds, and after the
 * user's own changes, one read at a time.
 */
export function useFileHistory(projectId: string, path: string | null, shown: boolean): FileHistory {
  const [versions, setVersions] = useState<Version[] | null>(null)
  const [blame, setBlame] = useState<BlameLine[]>([])
  const [error, setError] = useState<string | null>(null)
  const refresh = useCoalescedRead(
    useCallback(async () => {
      if (!path) return
      const file = { projectId, path }
      await Promise.all([api.history.list.query(file), api.blame.get.query(file)]).then(
        ([list, lines]) => {
          setVersions([...list].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)))
          setBlame(lines)
          setError(null)
        },
        (e: unknown) => setError(problemMessage(e)),
      )
    }, [projectId, path]),
  )

  useEffect(() => {
    setVersions(null)
    setBlame([])
    if (!shown) return
    refresh()
    const timer = setInterval(refresh, POLL_MS)
    return () => clearInterval(timer)
  }, [refresh, shown])

  const then =
    <A extends unknown[]>(fn: (...a: A) => Promise<unknown>) =>
    async (...a: A) => {
      await fn(...a)
      refresh()
    }
  const file = { projectId, path: path ?? '' }
  return {
    versions,
    blame,
    error,
    refresh,
    name: then((name: string) => api.history.create.mutate({ ...file, name })),
    restore: then((versionId: string) => api.history.restore.mutate({ versionId })),
    rollback: then((r: Rollback) =>
      api.history.rollback.mutate({
        ...file,
        author: r.author,
        from: r.from?.toISOString(),
        to: r.to?.toISOString(),
      }),
    ),
  }
}
