import { resolve } from 'node:path'
import { z } from 'zod'
import { parseEnvironment } from '@mimiverse/server-kit'

/**
 * The runner's configuration, parsed once at start-up; nothing else reads `process.env`. Every variable is
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

  // --- Terminals (src/terminals) ---
  /** `off` turns shared terminals off altogether; `on` still needs a working bubblewrap (probed at start). */
  RUNNER_TERMINALS: onOff('on'),
  /** The bubblewrap binary. */
  RUNNER_BWRAP: z.string().min(1).default('bwrap'),
  /** Whether sandboxed commands may reach the network (`--share-net`). Off: only their own loopback. */
  RUNNER_NETWORK: onOff('off'),
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
