import { AppError, ErrorCode } from '@mimiverse/shared'
import type { GitResult } from './git-process'
import { redact, type RemoteUrl } from './remote-policy'
import type { Git } from './repo'

/**
 * How git reaches a remote: one git command in the project's sandbox with the host's network for that command
 * only, its credentials handed to a credential helper through that process's environment (git-process.ts), and
 * everything that would let the repository's own config or the remote run programs, go elsewhere or prompt
 * turned off on the command line (which wins over the repository's config):
 *
 * - `protocol.allow=never` except https (and http for a listed loopback test host): no ssh, `file://`, `ext::`;
 * - `core.hooksPath=/dev/null`, `core.fsmonitor=false`: no hook or monitor program runs;
 * - `credential.helper=` empties the helper list (the repository's helpers too), then one helper scoped to the
 *   remote's origin answers from the environment: a URL rewritten elsewhere (`url.*.insteadOf`) gets nothing;
 * - no redirects, no proxy, TLS verified, no submodules, no prompt (`GIT_TERMINAL_PROMPT=0`, `GIT_ASKPASS`
 *   false), a low-speed abort and a timeout;
 * - and the repository must not configure `url.*` or `http.*` (rewrites, proxies, TLS settings): checked just
 *   before (see `guardConfig`).
 */

/** The name the remote has in the repository (`refs/remotes/origin/*`, branch upstreams). */
export const REMOTE_NAME = 'origin'
/** Longest a fetch, push or clone may take before its sandbox is killed. */
export const REMOTE_TIMEOUT_MS = 5 * 60_000

export interface RemoteAccess {
  url: RemoteUrl
  credentials?: { username: string; password: string }
}

/** A git progress line (`Receiving objects:  45% (9/20)`), without credentials. */
export interface RemoteProgress {
  phase: string
  percent: number | null
}

/** The credential helper: answers `get` from the environment git got (never a file, never the command line). */
const HELPER =
  '!f() { cat >/dev/null; test "$1" = get || exit 0; ' +
  `printf 'username=%s\\npassword=%s\\n' "$MIMI_GIT_USERNAME" "$MIMI_GIT_PASSWORD"; }; f`

const REMOTE_ENV = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_PROTOCOL_FROM_USER: '0',
  // A connection that moves under 1 KB/s for 60 s is given up.
  GIT_HTTP_LOW_SPEED_LIMIT: '1000',
  GIT_HTTP_LOW_SPEED_TIME: '60',
}

function remoteConfig(access: RemoteAccess): string[] {
  const { url } = access
  const pairs = [
    'core.hooksPath=/dev/null',
    'core.fsmonitor=false',
    'protocol.allow=never',
    'protocol.https.allow=always',
    ...(url.plainHttp ? ['protocol.http.allow=always'] : []),
    'http.followRedirects=false',
    'http.proxy=',
    'http.sslVerify=true',
    'credential.helper=',
    ...(access.credentials ? [`credential.${url.origin}.helper=${HELPER}`] : []),
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
    'push.recurseSubmodules=no',
  ]
  return pairs.flatMap((p) => ['-c', p])
}

/**
 * Refuses a repository whose config rewrites URLs or tunes HTTP (`url.<base>.insteadOf`, `http.<url>.proxy`,
 * `http.<url>.sslVerify`, ...): such keys would send git to another host than the policy allowed, or past a
 * proxy. Only key names are shown (values may hold tokens).
 */
async function guardConfig(git: Git): Promise<void> {
  const r = await git.run(['config', '--name-only', '--get-regexp', '^(url|http)\\.'], { allow: [1] })
  const keys = r.stdout.split('\n').filter(Boolean)
  if (keys.length > 0) {
    throw new AppError(
      ErrorCode.Conflict,
      `This repository's git config has ${keys.slice(0, 5).join(', ')}: remote operations refuse URL rewrites ` +
        'and HTTP settings in the repository (remove them with git config --unset)',
    )
  }
}

/** Runs a git command that reaches the remote; failures become plain words without any credential. */
export async function runRemote(
  git: Git,
  access: RemoteAccess,
  args: string[],
  onProgress?: (progress: RemoteProgress) => void,
): Promise<GitResult> {
  await guardConfig(git)
  const secrets = access.credentials ? [access.credentials.password] : []
  const result = await git.runWith([...remoteConfig(access), ...args], {
    network: true,
    credentials: access.credentials,
    env: REMOTE_ENV,
    timeoutMs: REMOTE_TIMEOUT_MS,
    onStderr: onProgress ? progressReader(secrets, onProgress) : undefined,
  })
  if (result.code !== 0) throw remoteError(result, access)
  return { ...result, stdout: redact(result.stdout, secrets), stderr: redact(result.stderr, secrets) }
}

/** Git's progress lines (separated by `\r` while they count up), as phase and percentage. */
function progressReader(secrets: string[], onProgress: (p: RemoteProgress) => void) {
  return (text: string) => {
    const line = text
      .split(/[\r\n]/)
      .map((l) => l.trim())
      .filter(Boolean)
      .pop()
    if (!line) return
    const m = /^(?:remote: )?([A-Za-z][A-Za-z ]{0,40}):\s+(\d{1,3})%/.exec(line)
    if (m) onProgress({ phase: m[1]!, percent: Number(m[2]) })
    else onProgress({ phase: redact(line, secrets).slice(0, 200), percent: null })
  }
}

/** What the user is told when the remote or git said no: never a credential, the host named. */
export function remoteError(result: GitResult, access: RemoteAccess): AppError {
  const secrets = access.credentials ? [access.credentials.password] : []
  const text = redact(result.stderr.trim() || result.stdout.trim(), secrets)
  const host = access.url.host
  const first = text.split('\n').slice(0, 4).join('\n')
  if (/could not read (Username|Password)|terminal prompts disabled/i.test(text)) {
    return new AppError(
      ErrorCode.BadRequest,
      access.credentials
        ? `${host} refused the username and token: check them (and that they may use this repository)`
        : `${host} asks for credentials: set a username and token for this remote`,
    )
  }
  if (/Authentication failed|HTTP (401|403)|returned error: 40[13]/i.test(text)) {
    return new AppError(
      ErrorCode.BadRequest,
      `${host} refused the username and token: check them (and that they may use this repository)`,
    )
  }
  if (
    /Could not resolve host|Failed to connect|Connection refused|Couldn't connect|timed out|Operation too slow/i.test(
      text,
    )
  ) {
    return new AppError(ErrorCode.Unavailable, `Could not reach ${host}: ${first}`)
  }
  if (/\[rejected\]|non-fast-forward|fetch first|failed to push some refs/i.test(text)) {
    return new AppError(
      ErrorCode.Conflict,
      'The remote has commits this branch does not have: pull first, then push',
    )
  }
  if (/not found|does not appear to be a git repository|HTTP 404/i.test(text)) {
    return new AppError(
      ErrorCode.NotFound,
      `No repository at that URL on ${host} (or the credentials cannot see it)`,
    )
  }
  return new AppError(ErrorCode.BadRequest, `git: ${first || `exited with code ${result.code}`}`)
}
