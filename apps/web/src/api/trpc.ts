import { createTRPCClient, httpLink } from '@trpc/client'
import type { inferRouterOutputs } from '@trpc/server'
import type { AppRouter } from '@mimiverse/collab/router'

/**
 * The workspace API client. The session travels in the HttpOnly `mimi_session` cookie the server sets on
 * sign-in, so no token is handled here; the API lives on the same origin (the Vite dev server proxies it).
 */
export const api = createTRPCClient<AppRouter>({
  links: [httpLink({ url: '/trpc' })],
})

export type ApiOutputs = inferRouterOutputs<AppRouter>
export type User = NonNullable<ApiOutputs['auth']['me']['user']>
export type ProjectSummary = ApiOutputs['projects']['list'][number]
export type FileEntry = ApiOutputs['files']['list'][number]
