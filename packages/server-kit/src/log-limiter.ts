import type { Logger } from './logger'

/**
 * Bounds what clients we do not know yet can make a server log: refused frames, refused authentication, socket
 * errors. Without a bound, a stranger sending one bad frame after another writes a line for each, as fast as the
 * network allows, and buries the lines that matter (or fills the disk).
 *
 * The returned logger and all its children share one budget: at most `linesPerSecond` lines in each second (the
 * second starting at its first line); further lines are dropped and counted, and when the second is over one
 * summary line says how many were dropped.
 */
export function rateLimitedLogger(log: Logger, opts: { linesPerSecond: number }): Logger {
  let windowStart = -Infinity
  let written = 0
  let suppressed = 0
  let summary: NodeJS.Timeout | undefined
  const flush = () => {
    summary = undefined
    if (suppressed === 0) return
    log.warn('log lines suppressed', { suppressed, limit: `${opts.linesPerSecond} per second` })
    suppressed = 0
  }
  const allow = () => {
    const now = Date.now()
    if (now - windowStart >= 1000) {
      windowStart = now
      written = 0
    }
    if (written < opts.linesPerSecond) {
      written += 1
      return true
    }
    suppressed += 1
    summary ??= setTimeout(flush, windowStart + 1000 - now)
    summary.unref()
    return false
  }
  const limit = (target: Logger): Logger => ({
    debug: (msg, fields) => allow() && target.debug(msg, fields),
    info: (msg, fields) => allow() && target.info(msg, fields),
    warn: (msg, fields) => allow() && target.warn(msg, fields),
    error: (msg, fields) => allow() && target.error(msg, fields),
    child: (fields) => limit(target.child(fields)),
  })
  return limit(log)
}

/** The longest client-supplied text put into a log line as is (document names, tokens' reasons, errors). */
export const LOG_TEXT_MAX = 100

/** `text` cut to `max` characters, saying how long it was: a client's 5 MiB name must not become 5 MiB of log. */
export function clipForLog(text: string, max = LOG_TEXT_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`
}
