import type { ReactNode } from 'react'
import { useAuth, useUser } from '../auth/auth-context'
import { problemMessage } from '../api/errors'
import { colorFor } from '../collab/color'
import { useColorsVersion } from '../collab/use-project-colors'
import { useSettings } from '../settings/settings-context'
import { Link } from '../routing/link'
import { navigate } from '../routing/use-route'
import { paths } from '../routing/routes'
import { Logo } from './logo'

/** The app bar: logo, an optional title and actions, the user and sign-out. */
export function TopBar({ children }: { children?: ReactNode }) {
  const auth = useAuth()
  const user = useUser()
  const settings = useSettings()
  useColorsVersion()
  const signOut = () => {
    auth.signOut().then(
      () => navigate(paths.signIn(), { replace: true }),
      (e: unknown) => alert(problemMessage(e)),
    )
  }
  return (
    <header className="top-bar">
      <Link href={paths.projects()} className="top-bar-home">
        <Logo />
      </Link>
      <div className="top-bar-middle">{children}</div>
      <span className="top-bar-user">
        <span className="avatar" style={{ background: colorFor(user.id) }} aria-hidden="true">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        {user.name}
      </span>
      <button className="ghost icon" aria-label="Settings" title="Settings" onClick={settings.openDialog}>
        ⚙
      </button>
      <button className="ghost" onClick={signOut}>
        Sign out
      </button>
    </header>
  )
}
