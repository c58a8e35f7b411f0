import { z } from 'zod'

/**
 * Settings of `npm run bench:load`: a flag (`--max-users 600` or `--max-users=600`) wins over its variable
 * (`BENCH_LOAD_MAX_USERS`), which wins over the default. The defaults keep a full run (both phases) under
 * about six minutes on a 2-core machine. Like `options.ts`, the only load-bench module that reads `process.env`.
 */
const loadSchema = z
  .object({
    /** Which phases run: `one` node, `two` nodes over Redis, or `both`. */
    phases: z.enum(['one', 'two', 'both']).default('both'),
    /** Simulated users added per step; each step fills whole documents. */
    step: z.coerce.number().int().min(2).max(1000).default(100),
    /** Ramp ceiling: the phase stops after the step that reaches it. */
    maxUsers: z.coerce.number().int().min(2).max(5000).default(1000),
    /** Users per document (one watches another's keystrokes, so at least 2). */
    usersPerDoc: z.coerce.number().int().min(2).max(100).default(5),
    /** Mean keystrokes per second per user, pauses included (3–5/s is a human typing code). */
    rate: z.coerce.number().positive().max(50).default(4),
    /** Chance that a keystroke is followed by a pause (thinking, reading) instead of the next keystroke. */
    pauseChance: z.coerce.number().min(0).max(0.5).default(0.05),
    /** Mean length of a pause, in ms (drawn from 0.5x to 1.5x). */
    pauseMs: z.coerce.number().min(0).max(10_000).default(1000),
    /** Seconds each step is measured, once its users are connected and have settled. */
    holdSeconds: z.coerce.number().min(1).max(3600).default(8),
    /** Seconds between a step's users being synced and its measurement (documents load, sockets warm up). */
    settleSeconds: z.coerce.number().min(0).max(60).default(2),
    /** The latency bound: the ramp stops after the first step whose p99 passes it. */
    p99LimitMs: z.coerce.number().positive().default(100),
    /** Ramp time per phase, in seconds; no step starts that would not finish within it. */
    budgetSeconds: z.coerce.number().min(10).max(3600).default(140),
    /** Processes hosting the simulated users (providers and Y.Docs), so the bench's clients are not one event loop. */
    hosts: z.coerce.number().int().min(1).max(16).default(2),
    /** Where the PGlite server of the two-node phase runs: its own process, or inside this one. */
    pgServer: z.enum(['child', 'in-process']).default('child'),
    /** Redis of the two-node phase; keys go under a fresh prefix that is deleted at the end. */
    redisUrl: z
      .string()
      .regex(/^redis:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/\d*)?$/, 'must be a loopback redis:// URL')
      .default('redis://127.0.0.1:6379'),
    /** Seed of the typing rhythm, so two runs type the same pattern. */
    seed: z.coerce.number().int().default(1),
    /** Extra Node flags for every node, space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
    serverNodeArgs: z.string().default(''),
    /** Extra Node flags for every user host, e.g. to profile the load generator itself. */
    hostNodeArgs: z.string().default(''),
  })
  .refine((o) => o.step % o.usersPerDoc === 0, {
    message: 'must be a multiple of usersPerDoc (each step fills whole documents)',
    path: ['step'],
  })
  .refine((o) => o.maxUsers % o.usersPerDoc === 0, {
    message: 'must be a multiple of usersPerDoc (every document needs its watcher)',
    path: ['maxUsers'],
  })
  .refine((o) => 1000 / o.rate > o.pauseChance * o.pauseMs, {
    message: 'pauses alone take longer than the mean gap between keystrokes: lower pauseChance or pauseMs',
    path: ['rate'],
  })

export type LoadOptions = z.infer<typeof loadSchema>

const FLAGS: Record<string, keyof LoadOptions> = {
  phases: 'phases',
  step: 'step',
  'max-users': 'maxUsers',
  'users-per-doc': 'usersPerDoc',
  rate: 'rate',
  'pause-chance': 'pauseChance',
  'pause-ms': 'pauseMs',
  'hold-seconds': 'holdSeconds',
  'settle-seconds': 'settleSeconds',
  'p99-limit-ms': 'p99LimitMs',
  'budget-seconds': 'budgetSeconds',
  hosts: 'hosts',
  'pg-server': 'pgServer',
  'redis-url': 'redisUrl',
  seed: 'seed',
  'server-node-args': 'serverNodeArgs',
  'host-node-args': 'hostNodeArgs',
}

/** `BENCH_LOAD_` + the flag in upper snake case, e.g. `--max-users` -> `BENCH_LOAD_MAX_USERS`. */
const envName = (flag: string) => `BENCH_LOAD_${flag.toUpperCase().replaceAll('-', '_')}`

export function parseLoadOptions(
  argv: readonly string[] = process.argv.slice(2),
  env = process.env,
): LoadOptions {
  const raw: Record<string, string | undefined> = {}
  for (const [flag, key] of Object.entries(FLAGS)) raw[key] = env[envName(flag)] || undefined
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i] ?? '')
    const key = match ? FLAGS[match[1] ?? ''] : undefined
    if (!match || !key) {
      const known = Object.keys(FLAGS).map((f) => `--${f}`)
      throw new Error(`Unknown argument "${argv[i]}"; flags: ${known.join(' ')}`)
    }
    raw[key] = match[2] ?? argv[++i]
    if (raw[key] === undefined) throw new Error(`--${match[1]} needs a value`)
  }
  const result = loadSchema.safeParse(raw)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid bench:load options:\n${lines.join('\n')}`)
  }
  return result.data
}
