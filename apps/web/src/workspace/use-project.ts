import { useEffect, useState } from 'react'
import { api, type ProjectSummary } from '../api/trpc'
import { problemMessage } from '../api/errors'

export type ProjectState =
  { status: 'loading' } | { status: 'ready'; project: ProjectSummary } | { status: 'error'; message: string }

/** The project and this user's role in it (from the user's project list: absent means not a member). */
export function useProject(projectId: string): ProjectState {
  const [state, setState] = useState<ProjectState>({ status: 'loading' })
  useEffect(() => {
    let cancelled = false
    api.projects.list
      .query()
      .then((list) => {
        const project = list.find((p) => p.id === projectId)
        if (cancelled) return
        setState(
          project
            ? { status: 'ready', project }
            : { status: 'error', message: 'You are not a member of this project, or it does not exist.' },
        )
      })
      .catch((e: unknown) => !cancelled && setState({ status: 'error', message: problemMessage(e) }))
    return () => {
      cancelled = true
    }
  }, [projectId])
  return state
}
