import type { Db } from '@mimiverse/db'
import type { SearchQueries } from '../../search/query'
import type { Workspace } from '../../workspace'
import type { CommandRunner } from './command-runner'
import type { FileOp } from './live-task'
import type { RunFile, RunFiles } from './run-files'

/** What a tool may use: the run's documents and the project it acts in, for the requester, nothing wider. */
export interface ToolContext {
  runId: string
  projectId: string
  requester: { id: string; name: string }
  db: Db
  workspace: Workspace
  search: SearchQueries
  files: RunFiles
  /** The workspace terminal; null until a runner is configured. */
  commands: CommandRunner | null
  commandTimeoutMs: number
  /** Origin of the agent's text changes (the run's UndoManagers track only this). */
  origin: object
  signal: AbortSignal
  /**
   * Asks an editor (unless the project or this run already allows it); resolves true when allowed. Time spent
   * waiting is not the tool's own time.
   */
  approve(what: { kind: 'command' | 'delete'; text: string; stepId: string }): Promise<boolean>
  /** The step (tool call) being run. */
  stepId: string
  /**
   * Awaits work that is not ours (the model, an editor deciding, a command running): its time is counted in
   * `externalMs` and left out of the tool's own time.
   */
  external<T>(work: Promise<T>): Promise<T>
  externalMs(): number
  /** The run changed a file's text or path (persisted for reloads and reviews). */
  onFileChanged(file: RunFile): void
  /** The run renamed or deleted a file (kept for Undo). */
  onFileOp(op: FileOp): void
}

/** A tool's failure in words for the model (wrong path, quote not found): the run goes on. */
export class ToolError extends Error {}
