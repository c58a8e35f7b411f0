import { AppError, ErrorCode } from '@mimiverse/shared'
import type { CodebaseSearch } from './chat-context'
import type { CompletionContext } from './completion'
import type { Snippet } from './completion-context'
import type { Workspace } from './workspace'

/**
 * Reads what the completion prompt's repository context is built from: the text of the other files the user
 * has open (only documents of the request's project, whose membership was checked), and code search hits
 * when search is available. Open files' texts are kept a few seconds, so a burst of keystrokes reads each
 * once; search gets a short time budget and is left out when it is slower (a completion must stay fast).
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

export function createCompletionSources(opts: SourcesOptions): CompletionSources {
  const now = opts.now ?? Date.now
  const ttl = opts.ttlMs ?? 3000
  const texts = new Map<string, { at: number; snippet: Snippet | null }>()
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
      const [open, search] = await Promise.all([Promise.all(others.map(read)), searchHits(opts, req)])
      return {
        repoName: req.projectId,
        recent: req.recentEdits,
        search,
        open: open.filter((s): s is Snippet => s !== null),
      }
    },
  }
}

async function searchHits(opts: SourcesOptions, req: SourceRequest): Promise<Snippet[]> {
  if (!opts.codebase) return []
  const query = req.prefix.split('\n').slice(-3).join('\n').trim()
  if (!query) return []
  let timer: NodeJS.Timeout | undefined
  const budget = new Promise<Snippet[]>((r) => (timer = setTimeout(() => r([]), opts.searchBudgetMs ?? 150)))
  try {
    const hits = opts.codebase.search(req.projectId, query, SEARCH_HITS).catch(() => [])
    return await Promise.race([hits, budget])
  } finally {
    clearTimeout(timer)
  }
}
