import { formatWithOptions } from 'node:util'
import type { Logger, LogLevel } from '@mimiverse/server-kit'

/**
 * Hocuspocus (the server and the Redis extension) reports some failures with `console.error`, `warn` and `log`
 * from its own code, e.g. "Caught error during storeDocumentHooks" with a stack (the Redis extension's lock
 * errors), `[onStoreDocument] …` for a hook that threw, "Received an authentication message on a connection that
 * is already fully authenticated". Those would be raw, often multi-line text among our JSON lines. While a server
 * runs, the console methods are wrapped: a call made from a file of an `@hocuspocus/` package (third-party
 * packages stay external in the production bundle, so their path says so) becomes one line of the collab logger,
 * its first line as `msg` and the whole text in `text`; every other call goes to the console unchanged.
 */
export function routeHocuspocusConsole(log: Logger): () => void {
  const entry = { log: log.child({ component: 'hocuspocus' }) }
  loggers.add(entry)
  if (loggers.size === 1) wrap()
  return () => {
    loggers.delete(entry)
    if (loggers.size === 0) unwrap()
  }
}

/** Where Hocuspocus' packages live (`node_modules/@hocuspocus/server/dist/…`), as a caller's stack frame shows. */
export const HOCUSPOCUS_FILE = /[/\\]@hocuspocus[/\\]([\w-]+)[/\\]/

/** Longest text kept of one message: a stack or an error object printed in full stays readable. */
const MAX_TEXT = 8_192

const METHODS = {
  error: 'error',
  warn: 'warn',
  info: 'info',
  log: 'info',
  debug: 'debug',
} as const satisfies Record<string, Exclude<LogLevel, 'silent'>>
type Method = keyof typeof METHODS

/** The servers' loggers of this process (tests run several servers in one); the newest gets the lines. */
const loggers = new Set<{ log: Logger }>()
const originals = new Map<Method, (...args: unknown[]) => void>()

function wrap(): void {
  for (const method of Object.keys(METHODS) as Method[]) {
    const original = Reflect.get(console, method) as (...args: unknown[]) => void
    originals.set(method, original)
    const routed = (...args: unknown[]) => {
      const from = callerPackage(routed)
      const target = [...loggers].at(-1)
      if (!from || !target) return Reflect.apply(original, console, args)
      const text = formatWithOptions({ colors: false }, ...args).slice(0, MAX_TEXT)
      const msg = text.split('\n', 1)[0]?.trim() || 'hocuspocus message'
      target.log[METHODS[method]](msg, { package: `@hocuspocus/${from}`, text })
    }
    console[method] = routed
  }
}

function unwrap(): void {
  for (const [method, original] of originals) console[method] = original
  originals.clear()
}

/** The `@hocuspocus/` package whose code called `fn`, or null when the caller is anyone else. */
function callerPackage(fn: (...args: unknown[]) => void): string | null {
  const holder: { stack?: string } = {}
  Error.captureStackTrace(holder, fn)
  const caller = holder.stack?.split('\n', 2)[1] ?? ''
  return HOCUSPOCUS_FILE.exec(caller)?.[1] ?? null
}
