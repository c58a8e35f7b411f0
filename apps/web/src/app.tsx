import { useEffect } from 'react'
import { AuthPage } from './auth/auth-page'
import { useAuth } from './auth/auth-context'
import { JoinPage } from './projects/join-page'
import { ProjectsPage } from './projects/projects-page'
import { navigate, useRoute } from './routing/use-route'
import { paths } from './routing/routes'
import { SettingsProvider } from './settings/settings-context'
import { FullPageMessage, WorkspacePage } from './workspace/workspace-page'

/** Routes by URL; pages other than sign-in/up need a session and send you to sign-in (and back) without one. */
export function App() {
  const route = useRoute()
  const { state, refresh } = useAuth()
  const publicPage = route.page === 'sign-in' || route.page === 'sign-up'

  useEffect(() => {
    if (state.status === 'signed-out' && !publicPage) {
      navigate(paths.signIn(location.pathname === '/' ? undefined : location.pathname), { replace: true })
    }
  }, [state.status, publicPage])

  if (state.status === 'loading') return <FullPageMessage title="Loading…" />
  if (state.status === 'error') {
    return (
      <main className="auth-page">
        <div className="card auth-card" role="alert">
          <h1>Cannot reach Mimiverse</h1>
          <p className="muted">{state.message}</p>
          <button className="primary" onClick={refresh}>
            Try again
          </button>
        </div>
      </main>
    )
  }
  if (route.page === 'sign-in' || route.page === 'sign-up')
    return <AuthPage key={route.page} mode={route.page} next={route.next} />
  if (state.status === 'signed-out') return null
  return (
    <SettingsProvider key={state.user.id}>
      <SignedInPage route={route} />
    </SettingsProvider>
  )
}

/** The pages behind sign-in, inside the user's settings. */
function SignedInPage({ route }: { route: ReturnType<typeof useRoute> }) {
  switch (route.page) {
    case 'projects':
      return <ProjectsPage />
    case 'project':
      return <WorkspacePage key={route.projectId} projectId={route.projectId} />
    case 'join':
      return <JoinPage code={route.code} />
    case 'not-found':
      return <FullPageMessage title="Page not found" message="There is nothing at this address." />
    case 'sign-in':
    case 'sign-up':
      return null
  }
}
