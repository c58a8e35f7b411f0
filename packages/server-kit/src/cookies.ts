import type { IncomingMessage } from 'node:http'

/**
 * The session a request carries. The workspace API (collab) sets the cookie at sign-in; the AI service reads the
 * same cookie, so a browser signed in to one is signed in to both. Non-browser clients send the token as
 * `Authorization: Bearer <token>` instead.
 */

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'mimi_session'

/** The value of cookie `name`, or `undefined` when it is absent or not valid percent-encoding. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      // A malformed value (a stray `%`) would make decodeURIComponent throw; treat it as no cookie.
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** Reads `Authorization: Bearer <token>` first, then the session cookie. */
export function sessionTokenOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null
  return readCookie(req, SESSION_COOKIE) ?? null
}

/** A Set-Cookie value for the session; pass `secure: isHttps(req)` so HTTPS deployments get `Secure`. */
export function sessionCookie(token: string, opts: { maxAgeSeconds: number; secure: boolean }): string {
  const attrs = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax']
  attrs.push(`Max-Age=${opts.maxAgeSeconds}`)
  if (opts.secure) attrs.push('Secure')
  return attrs.join('; ')
}

/** Whether the request came over HTTPS, directly or through a proxy that sets `X-Forwarded-Proto`. */
export function isHttps(req: IncomingMessage): boolean {
  return (
    (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https'
  )
}

/**
 * Whether to refuse a write that rides on the session cookie from another site (CSRF). SameSite=Lax already
 * keeps the cookie off cross-site POSTs in current browsers; this covers older ones. Bearer-token calls are not
 * affected. An unparsable `Origin` counts as another site.
 */
export function crossSiteCookieWrite(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.headers.cookie || req.headers.authorization) return false
  const origin = req.headers.origin
  if (!origin) return false
  try {
    return new URL(origin).host !== req.headers.host
  } catch {
    return true
  }
}

/**
 * The client's address, for rate limits. Behind one trusted reverse proxy it is the last `X-Forwarded-For`
 * entry (the one the proxy appended; earlier ones are whatever the client sent); otherwise the socket's peer.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for']
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').pop()?.trim()
    if (last) return last
  }
  return req.socket.remoteAddress ?? 'unknown'
}
