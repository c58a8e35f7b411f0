import { isIP } from 'node:net'
import { AppError, ErrorCode } from '@mimiverse/shared'

/**
 * Which remotes a project's git may reach: the server's network policy (`RUNNER_GIT_REMOTES`, a comma list of
 * host patterns) and the shape of a remote URL. Checked before any network use, so a refused host is never
 * contacted.
 *
 * - `example.com` allows that host; `*.example.com` its subdomains (not itself); `*` every host name and public
 *   address. Empty (the default): remote operations are off.
 * - Loopback hosts (`localhost`, `127.x.x.x`, `::1`) and link-local or private addresses are reached only when
 *   listed literally: no wildcard allows them, so a project cannot reach the server's own ports or a cloud
 *   metadata address through a broad policy.
 * - Only `https://`; plain `http://` only for a loopback host listed literally (a test server on this machine).
 *   `ssh`, `git://`, `file://`, `ext::` and local paths are always refused: they run programs or read the
 *   server's files, and credentials would travel in the clear.
 */
export interface RemotePolicy {
  /** Lower-case host patterns as configured. */
  patterns: string[]
}

/** Longest remote URL taken. */
export const MAX_REMOTE_URL_LENGTH = 2048

const PATTERN = /^(\*|(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:]+\])$/

/** Parses `RUNNER_GIT_REMOTES`; throws a readable error on a bad pattern. */
export function parseRemotePolicy(text: string): RemotePolicy {
  const patterns = text
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
  for (const p of patterns) {
    if (!PATTERN.test(p) && isIP(p) === 0) {
      throw new Error(`"${p}" is no host pattern (write example.com, *.example.com, an IP address or *)`)
    }
  }
  return { patterns }
}

/** A remote URL as git will use it: parsed, checked against the policy, normalized. */
export interface RemoteUrl {
  /** The normalized URL (no credentials, no fragment). */
  href: string
  /** `https://host[:port]`: what the credential helper is scoped to. */
  origin: string
  host: string
  /** `http://` to a listed loopback host. */
  plainHttp: boolean
}

/** Checks a URL's shape (no policy): https, no credentials, bounded. */
export function parseRemoteUrl(raw: string): URL {
  const text = raw.trim()
  const refuse = (why: string) => new AppError(ErrorCode.BadRequest, `That remote URL is refused: ${why}`)
  if (text.length > MAX_REMOTE_URL_LENGTH) throw refuse(`longer than ${MAX_REMOTE_URL_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw refuse('write it as https://host/path (ssh, file and local paths are not allowed)')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refuse(`${url.protocol.replace(/:$/, '')} is not allowed, only https`)
  }
  if (url.username || url.password) {
    throw refuse('it contains credentials; give the username and token in their own fields')
  }
  if (url.hash) throw refuse('it has a #fragment')
  if (!url.hostname) throw refuse('it names no host')
  return url
}

/** Parses `raw` and checks it against the policy, before anything touches the network. */
export function checkRemote(raw: string, policy: RemotePolicy): RemoteUrl {
  if (policy.patterns.length === 0) {
    throw new AppError(
      ErrorCode.Unavailable,
      'Remote git operations are off on this server: its administrator can list the hosts git may reach in ' +
        'RUNNER_GIT_REMOTES (for example RUNNER_GIT_REMOTES=github.com,gitlab.com)',
    )
  }
  const url = parseRemoteUrl(raw)
  const host = url.hostname.toLowerCase()
  const special = isSpecialHost(host)
  const listed = policy.patterns.includes(host)
  const allowed = listed || (!special && policy.patterns.some((p) => wildcardMatches(p, host)))
  if (!allowed) {
    throw new AppError(
      ErrorCode.Forbidden,
      `${host} is not among the hosts git may reach on this server (RUNNER_GIT_REMOTES)`,
    )
  }
  const plainHttp = url.protocol === 'http:'
  if (plainHttp && !(listed && isLoopback(host))) {
    throw new AppError(
      ErrorCode.BadRequest,
      'That remote URL is refused: use https (http only reaches a listed loopback test host)',
    )
  }
  return { href: url.href, origin: url.origin, host: url.host, plainHttp }
}

function wildcardMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1))
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]'
}

/** Hosts a wildcard never allows: loopback, private, link-local and unspecified addresses, bracketed IPv6. */
function isSpecialHost(host: string): boolean {
  if (isLoopback(host) || host.startsWith('[')) return true
  if (isIP(host) !== 4) return false
  const [a, b] = host.split('.').map(Number) as [number, number]
  return (
    a === 0 ||
    a === 10 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  )
}

/**
 * Takes credentials out of text git printed before it is shown or logged: `user:password@` in any URL, and each
 * secret itself (raw and percent-encoded), whatever git did with it.
 */
export function redact(text: string, secrets: string[]): string {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@')
  for (const secret of secrets) {
    if (secret.length < 1) continue
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***')
  }
  return out
}
