import * as Y from 'yjs'
import { deleteFile, insertFile, renameFile, type Db } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { AGENT_RUNS_FIELD, AppError, ErrorCode, parseDocName } from '@mimiverse/shared'
import type { AgentTask } from '../../../contracts/agent'
import type { CollabSession } from '../collab-session'
import type { FileOp, LiveTask } from './live-task'
import type { TaskStore } from './task-store'

/**
 * Accept or Undo of a finished task run, for all its files or one. Each file is re-joined as the agent; Undo
 * reverts exactly the run's changes in it (its UndoManager tracks only the run's origin, so people's edits made
 * meanwhile stay), and a file the run created that is empty afterwards is deleted again; both clear the run's
 * highlight. Undo also reverts the run's renames and deletions, newest first: a renamed file goes back to its
 * old path (with everything typed in it since), a deleted one is created again at its path with its text as it
 * was deleted, less the run's own edits; one whose path is taken meanwhile, or a renamed file deleted since, stays
 * as it is (logged). Undo needs the run's documents, kept in memory for a while after the run; Accept does not.
 */
export async function reviewTask(o: {
  run: AgentTask
  kind: 'accepted' | 'undone'
  path: string | undefined
  user: { id: string; name: string }
  live: LiveTask | undefined
  store: TaskStore
  db: Db
  join: (docName: string, doc: Y.Doc) => CollabSession
  log: Logger
}): Promise<void> {
  const { run, kind, live } = o
  if (run.state === 'running')
    throw new AppError(ErrorCode.Conflict, 'The run is still working; stop it first')
  const named = o.path ? run.files.filter((f) => f.path === o.path) : run.files
  const ops = (live?.fileOps ?? []).filter((op) => !o.path || opPaths(op).includes(o.path))
  if (o.path && named.length === 0 && ops.length === 0)
    throw new AppError(ErrorCode.NotFound, `The run did not change ${o.path}`)
  const targets = named.filter((f) => f.review === 'pending')
  if (targets.length === 0 && ops.length === 0) throw new AppError(ErrorCode.Conflict, `Already reviewed`)
  if (kind === 'undone' && !live) {
    throw new AppError(
      ErrorCode.Conflict,
      'Undo is no longer available for this run (the AI service restarted or the run is too old); edit the text by hand or use Accept to clear the highlight',
    )
  }
  if (live?.busy) throw new AppError(ErrorCode.Conflict, 'The run is being reviewed already')
  if (live) live.busy = true
  try {
    for (const target of targets) {
      const kept = live?.files.get(target.docName)
      if (kept?.deleted) continue
      const doc = kept?.doc ?? new Y.Doc()
      const s = o.join(target.docName, doc)
      let emptied = false
      try {
        await s.synced()
        if (kind === 'undone') kept!.undo.undo()
        doc.transact(() => doc.getMap(AGENT_RUNS_FIELD).delete(run.runId), 'agent-review')
        emptied = kind === 'undone' && kept!.created && kept!.text.length === 0
        await s.acknowledged()
      } finally {
        await s.leave().catch((e: unknown) => o.log.warn('agent could not leave cleanly', { error: e }))
        if (!kept) doc.destroy()
      }
      if (emptied) {
        const parsed = parseDocName(target.docName)
        if (parsed)
          await deleteFile(o.db, { projectId: parsed.projectId, fileId: parsed.fileId }).catch(() => {})
      }
    }
    for (const op of ops.reverse()) {
      live!.fileOps.splice(live!.fileOps.indexOf(op), 1)
      if (kind === 'undone') await revertFileOp(op, run.projectId, o.db, o.log)
    }
  } finally {
    if (live) live.busy = false
  }
  await o.store.review(
    run.runId,
    targets.map((t) => t.docName),
    kind,
    o.user.id,
  )
}

const opPaths = (op: FileOp): string[] => (op.kind === 'rename' ? [op.from, op.to] : [op.path])

async function revertFileOp(op: FileOp, projectId: string, db: Db, log: Logger): Promise<void> {
  try {
    if (op.kind === 'rename') {
      await renameFile(db, { projectId, fileId: op.fileId, path: op.from })
      return
    }
    let text = op.text
    if (op.file) {
      // The run's document is no longer joined: its own edits are reverted in this copy only.
      op.file.undo.undo()
      text = op.file.text.toString()
      if (op.file.created && text.length === 0) return
    }
    await insertFile(db, { projectId, path: op.path, content: text })
  } catch (e: unknown) {
    log.warn('agent undo left a file as it is', { projectId, op: op.kind, error: e })
  }
}
