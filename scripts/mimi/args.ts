import { parseArgs } from 'node:util'
import { z } from 'zod'

/**
 * Command line and environment of `mimi`, parsed once. Flags win over the environment; the password is best
 * given through MIMI_PASSWORD (a `--password` flag is visible to other users in the process list).
 */
export const USAGE = `Usage:
  mimi import <dir> --project <name>   upload a folder (creates the project; safe to run again)
  mimi export --project <name> <dir>   write the current text of every file into <dir>

Sign-in (flags or environment):
  --server <url>       MIMI_SERVER     e.g. http://localhost:3000
  --email <address>    MIMI_EMAIL
  --password <secret>  MIMI_PASSWORD   (prefer the variable: flags show up in the process list)`

export class UsageError extends Error {}

export interface Credentials {
  server: string
  email: string
  password: string
}

export type Command =
  | { kind: 'help' }
  | { kind: 'import'; dir: string; project: string; credentials: Credentials }
  | { kind: 'export'; dir: string; project: string; credentials: Credentials }

const serverSchema = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. http://localhost:3000' })
  .transform((url) => url.replace(/\/+$/, ''))

function credentialsFrom(
  values: { server?: string; email?: string; password?: string },
  env: Record<string, string | undefined>,
): Credentials {
  const server = values.server ?? env.MIMI_SERVER
  const email = values.email ?? env.MIMI_EMAIL
  const password = values.password ?? env.MIMI_PASSWORD
  const missing = [
    !server && '--server (or MIMI_SERVER)',
    !email && '--email (or MIMI_EMAIL)',
    !password && '--password (or MIMI_PASSWORD)',
  ].filter(Boolean)
  if (missing.length > 0 || !server || !email || !password) {
    throw new UsageError(`missing ${missing.join(', ')}`)
  }
  const parsed = serverSchema.safeParse(server)
  if (!parsed.success) throw new UsageError(`server "${server}" ${parsed.error.issues[0]?.message}`)
  return { server: parsed.data, email, password }
}

/** Turns `argv` (without node and the script) and the environment into a command, or throws a UsageError. */
export function parseCommand(argv: string[], env: Record<string, string | undefined>): Command {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        project: { type: 'string', short: 'p' },
        server: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (e: unknown) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
  const { values, positionals } = parsed
  const [kind, dir, ...extra] = positionals
  if (values.help || kind === 'help' || kind === undefined) return { kind: 'help' }
  if (kind !== 'import' && kind !== 'export') throw new UsageError(`unknown command "${kind}"`)
  if (!dir) throw new UsageError(`${kind} needs a folder`)
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
  if (!values.project?.trim()) throw new UsageError(`${kind} needs --project <name>`)
  return { kind, dir, project: values.project.trim(), credentials: credentialsFrom(values, env) }
}
