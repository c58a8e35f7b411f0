import { languageForPath } from '../editor/language'
import { isBound, modelUri, pathOfUri } from '../editor/model-uri'
import { monaco } from '../editor/monaco-setup'

/** Bounds on what the TypeScript worker is given: enough for real projects, not a browser-freezing monorepo. */
export const MAX_FILES = 2000
export const MAX_BYTES = 20 * 1024 * 1024
/** Files read again per refresh round (round robin), so a big project costs a bounded number of requests. */
export const READS_PER_ROUND = 40

export type ReadFile = (path: string) => Promise<string>

/** Whether TypeScript should know a file: .ts/.tsx/.mts/.cts/.d.ts and .js/.jsx/.mjs/.cjs. */
export function isScript(path: string): boolean {
  const language = languageForPath(path)
  return language === 'typescript' || language === 'javascript'
}

/**
 * Keeps a `file:///<path>` model for every project TS/JS file that is not open, filled from the server, so the
 * TypeScript worker resolves imports into them (go to definition, references, errors across files). An open
 * file's model is its binding's (file-binding.ts) and is never touched here; when its tab closes, its last text
 * stays as the background model until the next read.
 */
export class ProjectModels {
  private wanted: string[] = []
  private next = 0
  private stopped = false
  /** Set when the project is over a bound; the rest of its files are left out. */
  limited: string | null = null
  private readonly subscriptions: monaco.IDisposable[]

  constructor(private readonly read: ReadFile) {
    this.subscriptions = [
      monaco.editor.onWillDisposeModel((model) => {
        const path = pathOfUri(model.uri)
        if (!path || !isBound(model.uri) || !this.wanted.includes(path)) return
        const text = model.getValue()
        queueMicrotask(() => this.put(path, text))
      }),
    ]
  }

  /** Takes the project's current paths: drops models of files gone, creates and reads models of new ones. */
  async sync(paths: readonly string[]): Promise<boolean> {
    const scripts = paths.filter(isScript).sort()
    this.limited =
      scripts.length > MAX_FILES
        ? `TypeScript knows ${MAX_FILES} of the project's ${scripts.length} TS/JS files`
        : null
    const wanted = scripts.slice(0, MAX_FILES)
    const keep = new Set(wanted)
    for (const path of this.wanted) if (!keep.has(path)) this.drop(path)
    this.wanted = wanted
    const missing = wanted.filter((p) => !monaco.editor.getModel(modelUri(p)))
    return this.readAll(missing)
  }

  /** Reads the next few files again (those that others may have changed); true when any text changed. */
  async refresh(): Promise<boolean> {
    const closed = this.wanted.filter((p) => !isBound(modelUri(p)))
    if (closed.length === 0) return false
    const round: string[] = []
    for (let i = 0; i < Math.min(READS_PER_ROUND, closed.length); i++) {
      round.push(closed[(this.next + i) % closed.length] as string)
    }
    this.next = (this.next + round.length) % closed.length
    return this.readAll(round)
  }

  dispose(): void {
    this.stopped = true
    this.subscriptions.forEach((s) => s.dispose())
    for (const path of this.wanted) this.drop(path)
    this.wanted = []
  }

  private async readAll(paths: string[]): Promise<boolean> {
    let changed = false
    for (const path of paths) {
      let text: string
      try {
        text = await this.read(path)
      } catch {
        continue // Deleted or renamed meanwhile: the next sync drops it.
      }
      if (this.stopped) return false
      if (this.wanted.includes(path) && this.put(path, text)) changed = true
    }
    return changed
  }

  /** Creates or updates a background model; never one that is bound. True when the text changed. */
  private put(path: string, text: string): boolean {
    const uri = modelUri(path)
    if (isBound(uri) || this.stopped) return false
    const existing = monaco.editor.getModel(uri)
    if (existing && existing.getValue() === text) return false
    if (this.bytes() - (existing?.getValueLength() ?? 0) + text.length > MAX_BYTES) {
      this.limited = `TypeScript stopped at ${MAX_BYTES / 1024 / 1024} MB of project files`
      return false
    }
    if (existing) existing.setValue(text)
    else monaco.editor.createModel(text, languageForPath(path), uri)
    return true
  }

  private drop(path: string): void {
    const uri = modelUri(path)
    if (isBound(uri)) return
    const model = monaco.editor.getModel(uri)
    model?.dispose()
  }

  /** The text TypeScript holds for the project (open files included). */
  private bytes(): number {
    let total = 0
    for (const path of this.wanted) total += monaco.editor.getModel(modelUri(path))?.getValueLength() ?? 0
    return total
  }
}
