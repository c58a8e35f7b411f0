import { useEffect, useState } from 'react'
import { api } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { Link } from '../routing/link'
import { navigate } from '../routing/use-route'
import { paths } from '../routing/routes'

/** Opens an invite link: joins the project with the invite's role, then shows it. */
export function JoinPage({ code }: { code: string }) {
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let cancelled = false
    api.projects.join
      .mutate({ code })
      .then(({ projectId }) => {
        if (!cancelled) navigate(paths.project(projectId), { replace: true })
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(problemMessage(e))
      })
    return () => {
      cancelled = true
    }
  }, [code])
  return (
    <main className="auth-page">
      <div className="card auth-card">
        {error ? (
          <>
            <h1>Could not join</h1>
            <p className="form-error" role="alert">
              {error}
            </p>
            <Link href={paths.projects()}>Back to your projects</Link>
          </>
        ) : (
          <p className="muted">Joining the project…</p>
        )}
      </div>
    </main>
  )
}
