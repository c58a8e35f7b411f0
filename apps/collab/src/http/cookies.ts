import type { IncomingMessage } from 'node:http'

/** Name of the HttpOnly session cookie. */
export const SESSION_COOKIE = 'mimi_session'

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

/** A Set-Cookie value for the session; `Secure` when the request came over HTTPS (directly or via a proxy). */
export function sessionCookie(token: string, opts: { maxAgeSeconds: number; secure: boolean }): string {
  const attrs = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax']
  attrs.push(`Max-Age=${opts.maxAgeSeconds}`)
  if (opts.secure) attrs.push('Secure')
  return attrs.join('; ')
}

export function isHttps(req: IncomingMessage): boolean {
  return (
    (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https'
  )
}
