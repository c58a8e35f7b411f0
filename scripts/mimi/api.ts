import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import type { AppRouter } from '@mimiverse/collab/router'
import type { Credentials } from './args'

/** The workspace API client `mimi` uses: the server's `/trpc` with the session as a bearer token. */
export type Api = ReturnType<typeof createApi>

/** An error to show the user as it is, with no stack trace. */
export class CliError extends Error {}

function createApi(server: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${server}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  })
}

/** A readable message for a failed call: the server's own message, or why the server could not be reached. */
export function describeError(e: unknown, server: string): string {
  if (e instanceof TRPCClientError) {
    // fetch() failures surface as a TRPCClientError whose cause is fetch's TypeError ("fetch failed").
    if (e.cause instanceof TypeError) {
      const cause =
        e.cause instanceof Error && e.cause.cause instanceof Error ? e.cause.cause.message : e.message
      return `cannot reach the server at ${server}: ${cause}`
    }
    return e.message
  }
  return e instanceof Error ? e.message : String(e)
}

export interface Session {
  api: Api
  /** Base URL of the server, without a trailing slash. */
  server: string
  /** The session's token, for the endpoints that are no tRPC procedure (a git history upload). */
  token: string
  user: { id: string; name: string }
  /** A readable message for an error of a call made with this session. */
  describe(e: unknown): string
  /** Ends the session on the server (the token is useless afterwards). */
  signOut(): Promise<void>
}

/** Signs in with an email and password; never logs the password. */
export async function signIn(credentials: Credentials): Promise<Session> {
  const { server, email, password } = credentials
  let result
  try {
    result = await createApi(server).auth.signIn.mutate({ email, password })
  } catch (e: unknown) {
    throw new CliError(`sign-in as ${email} failed: ${describeError(e, server)}`)
  }
  const api = createApi(server, result.token)
  return {
    api,
    server,
    token: result.token,
    user: { id: result.user.id, name: result.user.name },
    describe: (e) => describeError(e, server),
    signOut: async () => {
      await api.auth.signOut.mutate()
    },
  }
}
