import { z } from 'zod'

/**
 * The bench's settings: a flag (`--clients 20` or `--clients=20`) wins over its environment variable
 * (`BENCH_CLIENTS`), which wins over the default. Like the app's `env.ts`, this is the one bench module that
 * reads `process.env`, and it fails fast with every bad value listed.
 */
const optionsSchema = z
  .object({
    /** Simulated people, one provider (and one WebSocket) each. */
    clients: z.coerce.number().int().min(2).max(500).default(20),
    /** Documents the clients are spread over, round-robin; each needs two clients (a typist and a watcher). */
    documents: z.coerce.number().int().min(1).max(250).default(5),
    /** Length of the human-speed typing phase, in seconds. */
    seconds: z.coerce.number().min(2).max(300).default(15),
    /** Keystrokes per second per client; 8/s is about 100 words a minute, a fast human typist. */
    rate: z.coerce.number().positive().max(200).default(8),
    /** Length of the saturation phase, in seconds. */
    throughputSeconds: z.coerce.number().min(1).max(120).default(5),
    /** Unacknowledged updates each client keeps in flight during the saturation phase. */
    inFlight: z.coerce.number().int().min(1).max(1000).default(16),
    /** Length of the WebSocket echo phase, in seconds; defaults to the typing phase's length, capped at 10 s. */
    echoSeconds: z.coerce.number().min(2).max(300).optional(),
    /** Seed of the keystroke timing jitter, so two runs type the same pattern. */
    seed: z.coerce.number().int().default(1),
    /** Extra Node flags for the server process, space-separated, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
    serverNodeArgs: z.string().default(''),
  })
  .refine((o) => o.clients >= 2 * o.documents, {
    message: 'needs at least two clients per document (one types, another observes)',
    path: ['clients'],
  })

export type BenchOptions = Omit<z.infer<typeof optionsSchema>, 'echoSeconds'> & { echoSeconds: number }

const ENV_NAMES: Record<keyof z.infer<typeof optionsSchema>, string> = {
  clients: 'BENCH_CLIENTS',
  documents: 'BENCH_DOCS',
  seconds: 'BENCH_SECONDS',
  rate: 'BENCH_RATE',
  throughputSeconds: 'BENCH_THROUGHPUT_SECONDS',
  inFlight: 'BENCH_IN_FLIGHT',
  echoSeconds: 'BENCH_ECHO_SECONDS',
  seed: 'BENCH_SEED',
  serverNodeArgs: 'BENCH_SERVER_NODE_ARGS',
}

const FLAG_NAMES: Record<string, keyof typeof ENV_NAMES> = {
  clients: 'clients',
  docs: 'documents',
  documents: 'documents',
  seconds: 'seconds',
  rate: 'rate',
  'throughput-seconds': 'throughputSeconds',
  'in-flight': 'inFlight',
  'echo-seconds': 'echoSeconds',
  seed: 'seed',
  'server-node-args': 'serverNodeArgs',
}

export function parseOptions(
  argv: readonly string[] = process.argv.slice(2),
  env = process.env,
): BenchOptions {
  const raw: Record<string, string | undefined> = {}
  for (const [key, name] of Object.entries(ENV_NAMES)) raw[key] = env[name] || undefined
  Object.assign(raw, parseFlags(argv))
  const result = optionsSchema.safeParse(raw)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid bench options:\n${lines.join('\n')}`)
  }
  const o = result.data
  return { ...o, echoSeconds: o.echoSeconds ?? Math.min(o.seconds, 10) }
}

function parseFlags(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg)
    const key = match ? FLAG_NAMES[match[1] ?? ''] : undefined
    if (!match || !key)
      throw new Error(
        `Unknown argument "${arg}"; flags: ${Object.keys(FLAG_NAMES)
          .map((f) => `--${f}`)
          .join(' ')}`,
      )
    const value = match[2] ?? argv[++i]
    if (value === undefined) throw new Error(`--${match[1]} needs a value`)
    out[key] = value
  }
  return out
}
