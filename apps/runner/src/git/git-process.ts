import { spawn } from 'node:child_process'
import { AppError, ErrorCode } from '@mimiverse/shared'
import { LAUNCHER_ENV, sandboxSpawnArgs, type SandboxConfig } from '../terminals/sandbox'

/**
 * One `git` command in the project's sandbox: the same bubblewrap launch as a terminal (the project's uid, its
 * tree at /workspace, no network unless the server allows it), without a PTY. Git runs in the sandbox rather
 * than in the server because a repository is the project's own data: its hooks, filters and config
 * (`core.fsmonitor`, `core.sshCommand`, ...) are programs its commands wrote, and they must run where those
 * commands run, never as the server's root.
 */
export interface GitProcessOptions {
  sandbox: SandboxConfig
  /** The project's tree on the host, owned by `uid`. */
  tree: string
  uid: number
  /** Fed to git's stdin (a patch, a commit message). */
  input?: string
  /** Bytes fed to stdin instead of `input` (a file the server received, written by the sandbox's own user). */
  bytes?: Uint8Array
  /** Extra environment of git inside the sandbox (identities). */
  env?: Record<string, string>
  /** Default 60 s; the sandbox is killed after it. */
  timeoutMs?: number
  /**
   * A remote's credentials, for the credential helper (remote-git.ts): read from stdin by a shell in the
   * sandbox into the environment of that git process only, so they are never on a command line (which any
   * process may read in /proc), in a file or in .git/config.
   */
  credentials?: { username: string; password: string }
  /** Called with each piece of git's stderr as it arrives (progress). */
  onStderr?: (text: string) => void
}

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Most output one git command may print (a diff, a log page): past it the command is stopped. */
export const MAX_GIT_OUTPUT_BYTES = 32 * 1024 * 1024

/**
 * Settings every command gets on its command line: no pager, no editor, no prompt for credentials (a command
 * waits for nothing), paths taken literally (a path like `:(glob)*` is a file name, not a pattern).
 */
const FIXED_ARGS = [
  '--no-pager',
  '--literal-pathspecs',
  '-c',
  'core.editor=true',
  '-c',
  'core.quotePath=false',
]
const FIXED_ENV = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false', GIT_EDITOR: 'true' }

/** Reads the username and password lines from stdin into the environment, then runs the command. */
const READ_CREDENTIALS =
  'IFS= read -r MIMI_GIT_USERNAME && IFS= read -r MIMI_GIT_PASSWORD && ' +
  'export MIMI_GIT_USERNAME MIMI_GIT_PASSWORD && exec "$@"'

/** Runs `git <args>` in the sandbox; resolves with its exit code and output (a non-zero code is not thrown). */
export function runGit(args: string[], options: GitProcessOptions): Promise<GitResult> {
  const env = Object.entries({ ...FIXED_ENV, ...options.env }).map(([k, v]) => `${k}=${v}`)
  const argv = ['/usr/bin/env', ...env, 'git', ...FIXED_ARGS, ...args]
  const { credentials } = options
  if (!credentials) return runSandboxed(argv, options)
  return runSandboxed(['/bin/sh', '-c', READ_CREDENTIALS, 'mimi-git', ...argv], {
    ...options,
    input: `${credentials.username}\n${credentials.password}\n${options.input ?? ''}`,
  })
}

/** Runs `argv` in the project's sandbox, without a PTY. */
export function runSandboxed(argv: string[], options: GitProcessOptions): Promise<GitResult> {
  const { file, args: launch } = sandboxSpawnArgs(options.sandbox, {
    tree: options.tree,
    uid: options.uid,
    argv,
  })
  return new Promise((resolve, reject) => {
    const child = spawn(file, launch, { env: LAUNCHER_ENV, stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let bytes = 0
    let failure: AppError | undefined
    const stop = (error: AppError) => {
      failure ??= error
      child.kill('SIGKILL')
    }
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > MAX_GIT_OUTPUT_BYTES)
        return stop(new AppError(ErrorCode.PayloadTooLarge, 'git printed too much'))
      into.push(chunk)
    }
    child.stdout.on('data', collect(out))
    child.stderr.on('data', collect(err))
    if (options.onStderr)
      child.stderr.on('data', (chunk: Buffer) => options.onStderr?.(chunk.toString('utf8')))
    const timer = setTimeout(
      () => stop(new AppError(ErrorCode.Unavailable, 'git took too long and was stopped')),
      options.timeoutMs ?? 60_000,
    )
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (failure) return reject(failure)
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    })
    child.stdin.on('error', () => {
      // git exited before reading all of its input; its exit code tells what happened.
    })
    child.stdin.end(options.bytes ?? options.input ?? '')
  })
}
