import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './wait'

const WORKSPACE_DIR = fileURLToPath(new URL('..', import.meta.url))

/** A Node child process running a TypeScript entry through tsx, as `npm start` runs the server. */
export interface Child {
  pid: number
  /** The first stdout line that matched `ready`, as matched. */
  ready: RegExpExecArray
  /** The DevTools WebSocket URL, when the child was started with `--inspect`. */
  inspectorUrl: string | undefined
  /** The process itself, for IPC (`send`, `'message'`) when it was spawned with `ipc: true`. */
  handle: ChildProcess
  /** Resident memory of the process now, in KiB (VmRSS of /proc/<pid>/status). */
  rssKiB(): Promise<number>
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>
  /** The last error lines the child logged (JSON log lines at level error or fatal), oldest first. */
  errors(): string[]
}

export interface SpawnOptions {
  /** The TypeScript entry file. */
  entry: string
  /** Changes to our environment for the child; `undefined` removes a variable. */
  env: Record<string, string | undefined>
  /** The stdout line that says the child is ready, e.g. the server's "running at <url>". */
  ready: RegExp
  /** Node flags before `--import tsx`, e.g. for profiling. */
  nodeArgs?: string[]
  /** How long the child may take to print `ready`. Default 30 s. */
  timeoutMs?: number
  /** Opens a Node IPC channel to the child (`process.send` there, `handle.send` here). Default false. */
  ipc?: boolean
}

/**
 * Starts `node --import tsx <entry>` directly (not through npx), so `pid` is the process whose memory we
 * read. stderr is kept (the last 4 KiB) to explain a failed start; stdout is drained so the child never
 * blocks on a full pipe, keeping its last error lines to explain a failure during the run.
 */
export async function spawnChild({
  entry,
  env,
  ready,
  nodeArgs = [],
  timeoutMs = 30_000,
  ipc = false,
}: SpawnOptions): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    // `--import tsx` resolves from the working directory: run in the collab workspace, wherever we were started.
    cwd: WORKSPACE_DIR,
    env: childEnv(env),
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  let inspectorUrl: string | undefined
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096)
    // Node prints this before it runs any of the program, so it is here by the time the child is ready.
    inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1]
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const errors: string[] = []
  try {
    const match = await withTimeout(
      readyLine(
        child,
        ready,
        () => stderr,
        (line) => {
          if (!ERROR_LINE.test(line)) return
          errors.push(line.length > MAX_ERROR_LINE ? `${line.slice(0, MAX_ERROR_LINE)}…` : line)
          if (errors.length > KEPT_ERRORS) errors.shift()
        },
      ),
      timeoutMs,
      `${entry} to start`,
    )
    return {
      pid: child.pid ?? -1,
      ready: match,
      inspectorUrl,
      handle: child,
      rssKiB: () => rssKiB(child.pid ?? -1),
      stop: (ms) => stop(child, exited, ms),
      errors: () => [...errors],
    }
  } catch (e: unknown) {
    await stop(child, exited)
    throw e
  }
}

function childEnv(changes: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }
  return env
}

/** Log lines at level error or fatal (the servers log one JSON object per line). */
const ERROR_LINE = /"level":"(error|fatal)"/
const KEPT_ERRORS = 5
const MAX_ERROR_LINE = 600

function readyLine(
  child: ChildProcess,
  ready: RegExp,
  stderr: () => string,
  onLine: (line: string) => void,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      onLine(line)
      const match = ready.exec(line)
      if (match) resolve(match)
    })
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      reject(new Error(`child exited (${signal ?? code}) before it was ready:\n${stderr().trim()}`)),
    )
  })
}

async function stop(child: ChildProcess, exited: Promise<void>, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(killer)
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(match[1])
}
