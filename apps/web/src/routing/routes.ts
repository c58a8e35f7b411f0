/** The app's pages, parsed from `location.pathname`. Client-side routes: the server answers them with index.html. */
export type Route =
  | { page: 'projects' }
  | { page: 'sign-in'; next: string | null }
  | { page: 'sign-up'; next: string | null }
  | { page: 'project'; projectId: string }
  | { page: 'join'; code: string }
  | { page: 'not-found' }

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Parses a path and query; `next` is where sign-in returns to, and only ever a same-origin path. */
export function parseRoute(pathname: string, search = ''): Route {
  const parts = pathname.split('/').filter(Boolean)
  const next = safeNext(new URLSearchParams(search).get('next'))
  if (parts.length === 0) return { page: 'projects' }
  if (parts.length === 1 && parts[0] === 'sign-in') return { page: 'sign-in', next }
  if (parts.length === 1 && parts[0] === 'sign-up') return { page: 'sign-up', next }
  if (parts.length === 2 && parts[0] === 'p' && uuid.test(parts[1] ?? ''))
    return { page: 'project', projectId: parts[1]! }
  if (parts.length === 2 && parts[0] === 'join' && parts[1])
    return { page: 'join', code: decodeURIComponent(parts[1]) }
  return { page: 'not-found' }
}

/** Refuses anything that could leave the origin (`//evil`, `https://…`): an open redirect otherwise. */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null
  return next
}

export const paths = {
  projects: () => '/',
  project: (projectId: string) => `/p/${projectId}`,
  join: (code: string) => `/join/${encodeURIComponent(code)}`,
  signIn: (next?: string) => (next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'),
  signUp: (next?: string) => (next ? `/sign-up?next=${encodeURIComponent(next)}` : '/sign-up'),
}
