import { useCallback, useEffect, useState } from 'react'

export interface Tabs {
  open: string[]
  active: string | null
  show: (docName: string) => void
  close: (docName: string) => void
  /** Opens tabs without changing the shown one (their files get bound like any open tab). */
  add: (docNames: string[]) => void
  /** Drops tabs whose files no longer exist. */
  retain: (exists: (docName: string) => boolean) => void
}

interface TabState {
  open: string[]
  active: string | null
}

const storageKey = (projectId: string) => `mimiverse:tabs:${projectId}`

function load(projectId: string): TabState {
  try {
    const saved = JSON.parse(sessionStorage.getItem(storageKey(projectId)) ?? 'null') as TabState | null
    if (saved && Array.isArray(saved.open))
      return { open: saved.open.filter((d) => typeof d === 'string'), active: saved.active }
  } catch {
    // A corrupt entry: start with no tabs.
  }
  return { open: [], active: null }
}

/** Open tabs by document name; kept per browser tab across reloads. */
export function useTabs(projectId: string): Tabs {
  const [state, setState] = useState<TabState>(() => load(projectId))
  useEffect(() => sessionStorage.setItem(storageKey(projectId), JSON.stringify(state)), [projectId, state])

  const show = useCallback((docName: string) => {
    setState((s) => ({ open: s.open.includes(docName) ? s.open : [...s.open, docName], active: docName }))
  }, [])
  const close = useCallback((docName: string) => {
    setState((s) => {
      const i = s.open.indexOf(docName)
      const open = s.open.filter((d) => d !== docName)
      const active = s.active === docName ? (open[Math.min(i, open.length - 1)] ?? null) : s.active
      return { open, active }
    })
  }, [])
  const add = useCallback((docNames: string[]) => {
    setState((s) => {
      const added = docNames.filter((d) => !s.open.includes(d))
      return added.length === 0 ? s : { open: [...s.open, ...added], active: s.active ?? added[0] ?? null }
    })
  }, [])
  const retain = useCallback((exists: (docName: string) => boolean) => {
    setState((s) => {
      if (s.open.every(exists)) return s
      const open = s.open.filter(exists)
      return { open, active: s.active && exists(s.active) ? s.active : (open[0] ?? null) }
    })
  }, [])
  return { open: state.open, active: state.active, show, close, add, retain }
}
