import { isIP } from 'node:net'

/**
 * Which URLs a project's MCP server may have. The AI service makes the requests, from inside the deployment,
 * for any editor of any project, so the URL is checked: https always, plain http only for the hosts the operator
 * lists (`AGENT_MCP_HTTP_HOSTS`), and a loopback host (this machine: `localhost`, 127.0.0.0/8, ::1) only when
 * listed, whatever the scheme. No credentials in the URL (the bearer is stored encrypted, apart).
 *
 * The check is on the URL's host as written; a public name that resolves to a private address is not caught
 * here (see docs/THREAT_MODEL.md).
 *
 * Returns the normalized URL, or why it is refused in words for the editor.
 */
export function checkServerUrl(
  raw: string,
  allowedHttpHosts: readonly string[],
): { ok: true; url: string } | { ok: false; why: string } {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, why: 'the URL is not valid' }
  }
  if (url.username || url.password) {
    return { ok: false, why: 'the URL must not carry a user or password (give a bearer token instead)' }
  }
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  const allowed = allowedHttpHosts.includes(host)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) {
    return {
      ok: false,
      why:
        url.protocol === 'http:'
          ? `plain http is allowed only for hosts the operator lists in AGENT_MCP_HTTP_HOSTS; use https`
          : 'the URL must be https',
    }
  }
  if (isLoopback(host) && !allowed) {
    return {
      ok: false,
      why: 'this server’s own addresses are allowed only when listed in AGENT_MCP_HTTP_HOSTS',
    }
  }
  url.hash = ''
  return { ok: true, url: url.toString() }
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIP(host) === 4) return host.startsWith('127.') || host === '0.0.0.0'
  if (isIP(host) === 6) return host === '::1' || host === '::' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(host)
  return false
}
