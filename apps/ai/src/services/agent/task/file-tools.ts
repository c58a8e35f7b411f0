import { AGENT_NAME, docNameFor } from '@mimiverse/shared'
import { deleteFile as deleteFileRow, insertFile, renameFile as renameFileRow } from '@mimiverse/db'
import { AnchoredEdit } from '../anchored-edit'
import type { Region } from '../item-ids'
import { DocumentVersion, type Located } from '../locate-at-version'
import { StreamingDiff } from '../streaming-diff'
import { openFile } from './read-tools'
import type { RunFile } from './run-files'
import { ToolError, type ToolContext } from './tool-context'

/**
 * Tools that write. Edits go into the live document as the agent's own collaborator changes (anchored by Yjs
 * ids, so people typing meanwhile lose nothing; highlighted until reviewed; undoable per file and per run).
 * Creating, renaming and deleting a file use the same queries and path rules as the workspace API.
 */

interface Change {
  old_text: string
  new_text: string
}

/** The region to rewrite for one quote: in the version the model read first, else in the text as it is now. */
function find(file: RunFile, quote: string): Located {
  if (quote === '') {
    return file.text.length === 0
      ? { found: 'live', region: { runs: [], length: 0, after: null } satisfies Region, old: '' }
      : { found: 'absent' }
  }
  const inShown = file.shown?.locate(quote)
  if (inShown && inShown.found !== 'absent') return inShown
  // Not in what it read: the quote may hold the run's own earlier edits, which are in the text now.
  const now = DocumentVersion.capture(file.text, file.session!, AGENT_NAME)
  try {
    return now.locate(quote)
  } finally {
    now.close()
  }
}

/** Applies old→new changes in one transaction (one update for everyone); returns what was not applied. */
function apply(ctx: ToolContext, file: RunFile, changes: Change[]): string[] {
  const problems: string[] = []
  const located = changes.map((c, i) => {
    const at = find(file, c.old_text)
    if (at.found === 'absent') {
      problems.push(
        c.old_text === ''
          ? `edit ${i + 1}: old_text is empty but ${file.path} is not: quote the lines to replace`
          : `edit ${i + 1}: old_text was not found in ${file.path} (read the file and quote it exactly)`,
      )
    }
    if (at.found === 'gone') problems.push(`edit ${i + 1}: ${at.reason}`)
    return { change: c, at }
  })
  let last: AnchoredEdit | null = null
  file.doc.transact(() => {
    for (const { change, at } of located) {
      if (at.found !== 'live') continue
      const edit = new AnchoredEdit(file.text, at.region)
      const diff = new StreamingDiff(at.old)
      edit.apply([...diff.push(change.new_text), ...diff.end()])
      file.edits.push(edit)
      last = edit
    }
    if (last) ctx.files.mark(file, 'running')
  }, ctx.origin)
  if (last) file.session?.setCursor((last as AnchoredEdit).cursor())
  return problems
}

function counts(file: RunFile): { inserted: number; deleted: number } {
  return file.edits.reduce(
    (n, e) => ({ inserted: n.inserted + e.inserted, deleted: n.deleted + e.deleted }),
    { inserted: 0, deleted: 0 },
  )
}

export async function editFile(ctx: ToolContext, path: string, changes: Change[]): Promise<string> {
  const file = await openFile(ctx, path)
  const before = counts(file)
  const problems = apply(ctx, file, changes)
  const applied = changes.length - problems.length
  if (applied === 0) throw new ToolError(`nothing was changed: ${problems.join('; ')}`)
  ctx.onFileChanged(file)
  const after = counts(file)
  const summary = `Applied ${applied} of ${changes.length} edit${changes.length === 1 ? '' : 's'} to ${path} (${after.inserted - before.inserted} characters inserted, ${after.deleted - before.deleted} deleted).`
  return problems.length > 0 ? `${summary} Not applied: ${problems.join('; ')}` : summary
}

export async function createFile(ctx: ToolContext, path: string, content: string): Promise<string> {
  const row = await insertFile(ctx.db, { projectId: ctx.projectId, path, content: '' })
  const file = await ctx.files.open({ docName: docNameFor(ctx.projectId, row.id), path, created: true })
  // Typed in as the agent's edit: highlighted like any other, and Undo empties it.
  if (content) apply(ctx, file, [{ old_text: '', new_text: content }])
  ctx.onFileChanged(file)
  return `Created ${path} (${content.split('\n').length} lines).`
}

export async function renameFile(ctx: ToolContext, path: string, newPath: string): Promise<string> {
  const found = await ctx.workspace.fileByPath(ctx.projectId, path)
  if (!found) throw new ToolError(`there is no file "${path}" in the project`)
  await renameFileRow(ctx.db, { projectId: ctx.projectId, fileId: found.fileId, path: newPath })
  ctx.onFileOp({ kind: 'rename', fileId: found.fileId, docName: found.docName, from: path, to: newPath })
  const file = ctx.files.get(found.docName)
  if (file) {
    ctx.files.renamed(file, newPath)
    ctx.onFileChanged(file)
  }
  return `Renamed ${path} to ${newPath}.`
}

export async function deleteFile(ctx: ToolContext, path: string): Promise<string> {
  const found = await ctx.workspace.fileByPath(ctx.projectId, path)
  if (!found) throw new ToolError(`there is no file "${path}" in the project`)
  if (!(await ctx.approve({ kind: 'delete', text: path, stepId: ctx.stepId }))) {
    return `An editor denied deleting ${path}; it was not deleted. Go on without deleting it.`
  }
  const file = ctx.files.get(found.docName) ?? null
  // What Undo brings back: the run's document when it has one, else the stored text.
  const text = file ? '' : await ctx.workspace.readText(found.docName)
  if (file) {
    file.deleted = true
    await ctx.files.leave(file)
  }
  await deleteFileRow(ctx.db, { projectId: ctx.projectId, fileId: found.fileId })
  ctx.onFileOp({ kind: 'delete', docName: found.docName, path, text, file })
  return `Deleted ${path}.`
}
