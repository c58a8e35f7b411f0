import { resolve } from 'node:path'
import { z } from 'zod'
import { parseEnvironment } from '@mimiverse/server-kit'
import { parseRemotePolicy } from './git/remote-policy'

/**
 * The runner's configuration (workspaces on disk, their mirror, and the terminals), parsed once at start-up; nothing else reads `process.env`. Every variable is
 * documented in apps/runner/README.md, the top README and `.env.example`.
 */
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)
const onOff = (fallback: 'on' | 'off') =>
  z
    .enum(['on', 'off'])
    .default(fallback)
    .transform((v) => v === 'on')

const envSchema = z.object({
  /** Same variable and default as the collab server's: the workspaces live under it. */
  DATA_DIR: z.string().min(1).optional(),
  /** Where each project's working tree lives, `<WORKSPACES_DIR>/<projectId>/`. Default `<DATA_DIR>/workspaces`. */
  WORKSPACES_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  INIT_CWD: z.string().optional(),

  // The workspace mirror: each active project's files on disk, mirrored both ways with its documents.
  /**
   * `false` turns the workspace (mirror and terminals) off. Unset: on when the workspaces folder can be
   * created and written, off with a log line otherwise.
   */
  RUNNER_ENABLED: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1')),
  /** Quiet time after a document change before its file is written, and after a disk change before it is read. */
  MIRROR_DEBOUNCE_MS: z.coerce.number().int().min(0).max(10_000).default(50),
  /** How often an active project's file list is read, to follow files created, renamed or deleted elsewhere. */
  MIRROR_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Files on disk larger than this are left on disk only (never documents), with a log line. */
  MIRROR_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(40 * 1024 * 1024)
    .default(2 * 1024 * 1024),
  /** Projects with more files than this get no workspace (each file is an open document while mirrored). */
  MIRROR_MAX_FILES: z.coerce.number().int().min(1).max(20_000).default(2000),
  /** Lease on a project's workspace (one runner owns it at a time); renewed every third of it. */
  MIRROR_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(30),
  /** How long a workspace stays mirrored after its last member left (a reconnect does not rebuild it). */
  MIRROR_IDLE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),

  // --- Terminals (src/terminals) ---
  /** `off` turns shared terminals off altogether; `on` still needs a working bubblewrap (probed at start). */
  RUNNER_TERMINALS: onOff('on'),
  /** The bubblewrap binary. */
  RUNNER_BWRAP: z.string().min(1).default('bwrap'),
  /** Whether sandboxed commands may reach the network (`--share-net`). Off: only their own loopback. */
  RUNNER_NETWORK: onOff('off'),
  /**
   * Hosts the workspaces' git may fetch from, pull from, push to and clone from: a comma list of host patterns
   * (`github.com`, `*.example.com`, `*`; loopback hosts only when listed literally). Empty (the default): remote
   * git operations are refused, saying how to enable them. See `src/git/remote-policy.ts`.
   */
  /** Largest git history (a bundle) `mimi import` may send (`POST /runner/git/import`), in bytes. */
  RUNNER_GIT_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(4 * 1024 ** 3)
    .default(256 * 1024 * 1024),
  RUNNER_GIT_REMOTES: z
    .string()
    .default('')
    .transform((text, ctx) => {
      try {
        return parseRemotePolicy(text)
      } catch (e: unknown) {
        ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) })
        return z.NEVER
      }
    }),
  /** Open terminals per project (its members share them). */
  RUNNER_MAX_TERMINALS_PER_PROJECT: count(1, 100, 8),
  /** Open terminals on this node, all projects together. */
  RUNNER_MAX_TERMINALS: count(1, 10_000, 64),
  /** Terminals of a project nobody is connected to are killed after this many minutes (0: at once). */
  RUNNER_IDLE_MINUTES: count(0, 7 * 24 * 60, 30),
  /**
   * First host uid of the sandboxes: a project's commands run as `base + hash(projectId) mod 2^20`, so its
   * process limit is its own (RLIMIT_NPROC counts per host uid) and never the server's root.
   */
  RUNNER_SANDBOX_UID_BASE: count(1000, 4_000_000_000, 1_000_000),
  /** Processes (and threads) a project's commands may have at once, all its terminals together. */
  RUNNER_MAX_PROCESSES: count(8, 100_000, 256),
  /** Address space per process, MiB (RLIMIT_AS). Node reserves a lot of address space: keep at least 2048. */
  RUNNER_MAX_MEMORY_MB: count(64, 1_048_576, 4096),
  /** CPU seconds per process (RLIMIT_CPU): a runaway loop is stopped, a dev server that idles keeps running. */
  RUNNER_CPU_SECONDS: count(1, 1_000_000, 3600),
  /** Largest file a command may write, MiB (RLIMIT_FSIZE). */
  RUNNER_MAX_FILE_MB: count(1, 1_048_576, 1024),
  /** Size of the sandbox's /tmp and of its home folder (each a tmpfs, in memory), MiB. */
  RUNNER_TMP_MB: count(1, 65_536, 256),
  /** Output a terminal may produce per second; beyond it the PTY is paused (the command blocks on write). */
  RUNNER_OUTPUT_BYTES_PER_SECOND: count(1024, 1024 * 1024 * 1024, 128 * 1024),
  /**
   * Output all terminals of this node together may produce per second: each byte is parsed into a screen model
   * and sent to every watching member, on the thread that also serves documents.
   */
  RUNNER_NODE_OUTPUT_BYTES_PER_SECOND: count(1024, 1024 * 1024 * 1024, 256 * 1024),
})

export type Env = z.infer<typeof envSchema> & { DATA_DIR: string; WORKSPACES_DIR: string }

/** Parses the environment or throws an error that lists every bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const env = parseEnvironment(envSchema, source, 'runner')
  // npm runs workspace scripts inside the workspace folder; INIT_CWD is where the user typed `npm start`.
  const base = env.INIT_CWD ?? process.cwd()
  const dataDir = resolve(base, env.DATA_DIR ?? '.mimiverse')
  return {
    ...env,
    DATA_DIR: dataDir,
    WORKSPACES_DIR: resolve(base, env.WORKSPACES_DIR ?? `${dataDir}/workspaces`),
  }
}

/** The folder of every project's working tree (absolute). */
export function workspacesDir(env: Env): string {
  return env.WORKSPACES_DIR
}
