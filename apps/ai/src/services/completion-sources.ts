import { AppError, ErrorCode } from '@mimiverse/shared'
import type { CodebaseSearch } from './chat-context'
import type { CompletionContext } from './completion'
import type { Snippet } from './completion-context'
import type { Workspace } from './workspace'

/**
 * Reads what the completion prompt's repository context is built from: the text of the other files the user
 * has open (only documents of the request's project, whose membership was checked), and code search hits
 * when search is available. Open files' texts are kept a few seconds, so a burst of keystrokes reads each
 * once; search hits are kept per scope, and a search gets a short time budget and is left out when it is
 * slower (a completion must stay fast).
 */
export interface CompletionSources {
  gather(req: SourceRequest): Promise<CompletionContext>
}

export interface SourceRequest {
  projectId: string
  docName: string
  prefix: string
  openFiles: string[]
  recentEdits: Snippet[]
}

export interface SourcesOptions {
  workspace: Workspace
  codebase: CodebaseSearch | null
  /** How long an open file's text is reused, in ms. */
  ttlMs?: number
  /** Longest wait for search hits, in ms. */
  searchBudgetMs?: number
  now?: () => number
}

const MAX_CACHED_FILES = 256
const SEARCH_HITS = 3
const SEARCH_TTL_MS = 10_000
const MAX_CACHED_SEARCHES = 256

export function createCompletionSources(opts: SourcesOptions): CompletionSources {
  const now = opts.now ?? Date.now
  const ttl = opts.ttlMs ?? 3000
  const texts = new Map<string, { at: number; snippet: Snippet | null }>()
  const searchHits = createSearchHits(opts, now)
  const read = async (docName: string): Promise<Snippet | null> => {
    const hit = texts.get(docName)
    if (hit && now() - hit.at < ttl) return hit.snippet
    const path = await opts.workspace.pathOf(docName)
    const snippet = path ? { path, text: await opts.workspace.readText(docName) } : null
    texts.delete(docName)
    texts.set(docName, { at: now(), snippet })
    if (texts.size > MAX_CACHED_FILES) texts.delete(texts.keys().next().value as string)
    return snippet
  }
  return {
    async gather(req) {
      for (const d of req.openFiles) {
        if (opts.workspace.projectOf(d) !== req.projectId)
          throw new AppError(ErrorCode.BadRequest, 'openFiles: a document is not in this project')
      }
      const others = [...new Set(req.openFiles)].filter((d) => d !== req.docName)
      const [open, search] = await Promise.all([Promise.all(others.map(read)), searchHits(req)])
      return {
        repoName: req.projectId,
        recent: req.recentEdits,
        search,
        open: open.filter((s): s is Snippet => s !== null),
      }
    },
  }
}

/**
 * Search hits for the cursor's scope: the query is the lines above the cursor's line, so it stays the same while
 * someone types along a line, and hits are kept per (project, scope) for `SEARCH_TTL_MS`: a search (which
 * costs tens of milliseconds on the database) runs once per scope, not once per keystroke. Concurrent requests
 * for one scope share the search in flight.
 */
function createSearchHits(opts: SourcesOptions, now: () => number) {
  const cache = new Map<string, { at: number; hits: Promise<Snippet[]> }>()
  return async (req: SourceRequest): Promise<Snippet[]> => {
    const codebase = opts.codebase
    if (!codebase) return []
    const lines = req.prefix.split('\n')
    const above = lines.slice(-4, -1).join('\n').trim()
    const query = above || (lines.at(-1) ?? '').trim()
    if (!query) return []
    const key = `${req.projectId}\n${query}`
    let entry = cache.get(key)
    if (!entry || now() - entry.at >= SEARCH_TTL_MS) {
      entry = { at: now(), hits: codebase.search(req.projectId, query, SEARCH_HITS).catch(() => []) }
      cache.delete(key)
      cache.set(key, entry)
      if (cache.size > MAX_CACHED_SEARCHES) cache.delete(cache.keys().next().value as string)
    }
    let timer: NodeJS.Timeout | undefined
    const budget = new Promise<Snippet[]>(
      (r) => (timer = setTimeout(() => r([]), opts.searchBudgetMs ?? 150)),
    )
    try {
      return await Promise.race([entry.hits, budget])
    } finally {
      clearTimeout(timer)
    }
  }
}
