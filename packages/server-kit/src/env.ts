import type { z } from 'zod'

/**
 * Parses a service's environment with its schema, or throws one error that lists every bad variable (the
 * process then refuses to start with that message). `what` names the service in the message.
 */
export function parseEnvironment<S extends z.ZodType>(schema: S, source: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid ${what} configuration:\n${lines.join('\n')}`)
  }
  return result.data
}
