import { z } from 'zod'

/**
 * The runner's configuration (workspaces on disk, their mirror, and the terminals), parsed once at start-up;
 * nothing else reads `process.env`. Every variable is in the README and `.env.example`.
 */
const envSchema = z.object({
  /** The collab server's data folder; workspaces live under it unless WORKSPACES_DIR is set. */
  DATA_DIR: z.string().min(1).default('./.mimiverse'),
  /** Where each project's working tree lives (`<WORKSPACES_DIR>/<projectId>/`); default `<DATA_DIR>/workspaces`. */
  WORKSPACES_DIR: z.string().min(1).optional(),

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
})

export type Env = z.infer<typeof envSchema>

/** Parses the runner's variables; throws one readable message naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source)
  if (result.success) return result.data
  const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
  throw new Error(`Invalid runner configuration: ${problems}`)
}

/** The folder of every project's working tree. */
export function workspacesDir(env: Env): string {
  return env.WORKSPACES_DIR ?? `${env.DATA_DIR}/workspaces`
}
