/**
 * Structured logging: one JSON object per line on stdout, so log shippers need no parser. Both services log
 * through this, so their lines have the same fields (`time`, `level`, `msg`, then the bound and given fields).
 */
export const LogLevel = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const
export type LogLevel = keyof typeof LogLevel

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

/**
 * A logger that writes lines at `level` and above; `base` fields go into every line (a child adds more).
 * `write` receives each line with its newline (default: stdout), for tests that read what was logged.
 */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const at = (l: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (LogLevel[l] < LogLevel[level]) return
    write(
      `${JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...base, ...fields }, errorReplacer)}\n`,
    )
  }
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => createLogger(level, { ...base, ...fields }, write),
  }
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}
