/**
 * Progress of a long import. On a terminal: one bar redrawn in place on stderr. Otherwise (a pipe, a CI log):
 * one plain line per file, so logs stay readable.
 */
export interface Output {
  write(text: string): void
  /** Whether this is an interactive terminal. */
  isTTY?: boolean
  columns?: number
}

export interface Progress {
  /** Reports that `path` is done, with what happened to it. */
  step(path: string, outcome: string): void
  done(): void
}

const BAR_WIDTH = 24

/** `[#####-----]  12/40  src/app.ts` fitted to the terminal width. */
export function renderBar(options: { done: number; total: number; label: string; columns: number }): string {
  const { done, total, label, columns } = options
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH)
  const head = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} `
  const room = Math.max(0, columns - head.length - 1)
  const shown = label.length > room ? `…${label.slice(label.length - room + 1)}` : label
  return head + (room > 0 ? shown : '')
}

export function createProgress(out: Output, total: number): Progress {
  let done = 0
  if (!out.isTTY) {
    return {
      step: (path, outcome) => out.write(`[${++done}/${total}] ${outcome} ${path}\n`),
      done: () => undefined,
    }
  }
  return {
    step: (path) => {
      const line = renderBar({ done: ++done, total, label: path, columns: out.columns ?? 80 })
      out.write(`\r\x1b[2K${line}`)
    },
    done: () => out.write('\r\x1b[2K'),
  }
}
