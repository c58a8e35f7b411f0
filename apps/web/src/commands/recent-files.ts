import { useEffect, useState } from 'react'

/** How many recently shown files are remembered per project. */
const KEEP = 50

const storageKey = (projectId: string) => `mimiverse:recent:${projectId}`

function load(projectId: string): string[] {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(storageKey(projectId)) ?? '[]')
    return Array.isArray(saved) ? saved.filter((d): d is string => typeof d === 'string') : []
  } catch {
    return []
  }
}

/** `docName` moved to the front of `recent`, at most KEEP long. */
export function touchRecent(recent: readonly string[], docName: string): string[] {
  return [docName, ...recent.filter((d) => d !== docName)].slice(0, KEEP)
}

/**
 * Document names of the files shown in this project, most recent first; kept in this browser across reloads
 * (quick open lists them first).
 */
export function useRecentFiles(projectId: string, active: string | null): string[] {
  const [recent, setRecent] = useState(() => load(projectId))
  useEffect(() => {
    if (!active) return
    setRecent((r) => {
      if (r[0] === active) return r
      const next = touchRecent(r, active)
      localStorage.setItem(storageKey(projectId), JSON.stringify(next))
      return next
    })
  }, [projectId, active])
  return recent
}

/** Files in quick-open order: the recently shown ones (most recent first), then the rest by path. */
export function recentFirst<T extends { docName: string; path: string }>(
  files: readonly T[],
  recent: readonly string[],
): T[] {
  const rank = new Map(recent.map((d, i) => [d, i]))
  return [...files].sort((a, b) => {
    const ra = rank.get(a.docName) ?? Infinity
    const rb = rank.get(b.docName) ?? Infinity
    return ra !== rb ? ra - rb : a.path.localeCompare(b.path)
  })
}
