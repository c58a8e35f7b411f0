import * as Y from 'yjs'
import { AGENT_NAME } from '@mimiverse/shared'
import { DocumentVersion } from '../locate-at-version'
import { unifiedDiff } from './text-diff'
import { ToolError, type ToolContext } from './tool-context'
import type { RunFile } from './run-files'

/** Tools that read: the file list, a file's live text (in windows), code search, and the run's own diff. */

const MAX_LIST = 500
/** A window of a file sent to the model: at most this many lines and characters. */
export const READ_LINES = 400
export const READ_CHARS = 12_000
const SEARCH_HITS = 8
const SNIPPET_CHARS = 1_500

export async function listFiles(ctx: ToolContext, under?: string): Promise<string> {
  const all = await ctx.workspace.listPaths(ctx.projectId, 20_000)
  const prefix = under ? `${under.replace(/\/+$/, '')}/` : ''
  const paths = all.filter((p) => p.startsWith(prefix))
  if (paths.length === 0) return under ? `No files under ${under}.` : 'The project has no files.'
  const shown = paths.slice(0, MAX_LIST).join('\n')
  return paths.length > MAX_LIST ? `${shown}\n… (cut: ${paths.length - MAX_LIST} more files)` : shown
}

/** The file of the project at `path`, joined; a ToolError naming the path when there is none. */
export async function openFile(ctx: ToolContext, path: string): Promise<RunFile> {
  const found = await ctx.workspace.fileByPath(ctx.projectId, path)
  if (!found) throw new ToolError(`there is no file "${path}" in the project (list_files shows the paths)`)
  return ctx.files.open({ docName: found.docName, path })
}

/** `maxLines`: the window's most lines (an outside agent's `limit`); never more than `READ_LINES`. */
export async function readFile(
  ctx: ToolContext,
  path: string,
  startLine: number,
  maxLines = READ_LINES,
): Promise<string> {
  const file = await openFile(ctx, path)
  // The model will quote from what it is shown now: its edits are located in this version.
  file.shown?.close()
  file.shown = DocumentVersion.capture(file.text, file.session!, AGENT_NAME)
  const text = file.shown.text
  const w = windowOf(path, text, startLine, maxLines)
  file.session!.setCursor(
    Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(file.text, w.offset)),
  )
  return w.text
}

/**
 * A window of a file's text as the model is shown it: from `startLine`, at most `maxLines` (and `READ_LINES`)
 * lines and `READ_CHARS` characters, saying where it was cut. `offset`: the window's first character.
 */
export function windowOf(
  path: string,
  text: string,
  startLine: number,
  maxLines = READ_LINES,
): { text: string; offset: number } {
  const lines = text.split('\n')
  if (startLine > lines.length) throw new ToolError(`${path} has only ${lines.length} lines`)
  const from = startLine - 1
  let to = Math.min(lines.length, from + Math.min(maxLines, READ_LINES))
  while (to > from + 1 && lines.slice(from, to).join('\n').length > READ_CHARS)
    to = from + Math.ceil((to - from) / 2)
  const window = lines.slice(from, to).join('\n').slice(0, READ_CHARS)
  const offset = lines.slice(0, from).join('\n').length + (from > 0 ? 1 : 0)
  if (from === 0 && to === lines.length) return { text: `${path}:\n${window}`, offset }
  const more = to < lines.length ? ` (cut: read on with start_line=${to + 1})` : ''
  return { text: `${path}, lines ${from + 1}-${to} of ${lines.length}${more}:\n${window}`, offset }
}

export async function searchCode(
  ctx: ToolContext,
  q: string,
  mode: 'text' | 'vector' | 'hybrid' = 'hybrid',
): Promise<string> {
  const { results } = await ctx.search.query({
    projectId: ctx.projectId,
    q,
    mode,
    limit: SEARCH_HITS,
  })
  if (results.length === 0) return `Nothing found for "${q}".`
  return results
    .map((h) => {
      const snippet = h.snippet.length > SNIPPET_CHARS ? `${h.snippet.slice(0, SNIPPET_CHARS)}\n…` : h.snippet
      return `${h.path}:${h.startLine}-${h.endLine}\n${snippet}`
    })
    .join('\n\n')
}

export function showDiff(ctx: ToolContext, path?: string): Promise<string> {
  const files = ctx.files.all().filter((f) => !path || f.path === path)
  const parts = files.flatMap((f) => {
    if (f.deleted) return [`deleted ${f.path}`]
    const d = unifiedDiff(f.base, f.text.toString())
    if (!d) return []
    return [`${f.created ? 'new file' : 'diff'} ${f.path}\n--- a/${f.path}\n+++ b/${f.path}\n${d}`]
  })
  return Promise.resolve(parts.length > 0 ? parts.join('\n\n') : 'No changes by this run yet.')
}
