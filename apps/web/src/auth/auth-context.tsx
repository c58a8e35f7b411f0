import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { api, type User } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { deleteLocalCopies } from '../collab/local-copy'

export type AuthState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: User }

interface AuthApi {
  state: AuthState
  signIn: (input: { email: string; password: string }) => Promise<void>
  signUp: (input: { email: string; password: string; name: string }) => Promise<void>
  signOut: () => Promise<void>
  /** Re-asks the server who we are (after "server down", or when a call says the session ended). */
  refresh: () => void
}

const AuthContext = createContext<AuthApi | null>(null)

/** Holds the signed-in user. The session itself is the server's HttpOnly cookie; we only mirror who it is. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' })
  const refresh = useCallback(() => {
    api.auth.me
      .query()
      .then(({ user }) => setState(user ? { status: 'signed-in', user } : { status: 'signed-out' }))
      .catch((e: unknown) => setState({ status: 'error', message: problemMessage(e) }))
  }, [])
  useEffect(refresh, [refresh])

  const value = useMemo<AuthApi>(
    () => ({
      state,
      refresh,
      signIn: async (input) =>
        setState({ status: 'signed-in', user: (await api.auth.signIn.mutate(input)).user }),
      signUp: async (input) =>
        setState({ status: 'signed-in', user: (await api.auth.signUp.mutate(input)).user }),
      signOut: async () => {
        await api.auth.signOut.mutate()
        // This browser's copies of the user's documents go with the session (a shared computer).
        if (state.status === 'signed-in') await deleteLocalCopies(state.user.id)
        setState({ status: 'signed-out' })
      },
    }),
    [state, refresh],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthApi {
  const auth = useContext(AuthContext)
  if (!auth) throw new Error('useAuth outside <AuthProvider>')
  return auth
}

/** The signed-in user; only for pages rendered behind the sign-in gate. */
export function useUser(): User {
  const { state } = useAuth()
  if (state.status !== 'signed-in') throw new Error('useUser needs a signed-in user')
  return state.user
}
