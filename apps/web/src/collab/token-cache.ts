/** A collab token as `collab.token` returns it. */
export interface IssuedToken {
  token: string
  /** ISO timestamp. */
  expiresAt: string
}

export interface TokenCache {
  /** A token valid for at least `marginMs` more; fetches one when needed (concurrent callers share a fetch). */
  get(): Promise<string>
  /** Forgets the cached token, e.g. after the server refused it. */
  invalidate(): void
}

/**
 * Caches the project's collab token. Every provider on the shared socket asks for a token on each (re)connect;
 * without the cache a reconnect of N open files would make N API calls.
 */
export function createTokenCache(
  fetchToken: () => Promise<IssuedToken>,
  opts: { marginMs?: number; now?: () => number } = {},
): TokenCache {
  const marginMs = opts.marginMs ?? 60_000
  const now = opts.now ?? Date.now
  let cached: { token: string; expiresAtMs: number } | null = null
  let inflight: Promise<string> | null = null

  const fetchFresh = async () => {
    try {
      const issued = await fetchToken()
      cached = { token: issued.token, expiresAtMs: Date.parse(issued.expiresAt) }
      return issued.token
    } finally {
      inflight = null
    }
  }
  return {
    get() {
      if (cached && cached.expiresAtMs - marginMs > now()) return Promise.resolve(cached.token)
      inflight ??= fetchFresh()
      return inflight
    },
    invalidate() {
      cached = null
    },
  }
}
