import type { Db } from '@mimiverse/db'
import type { WorkspaceGit } from '../../mcp/workspace-views'
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
  /** The workspace's git (the runner's); null when this server has no workspace runner. */
  git: WorkspaceGit | null
  commandTimeoutMs: number
  /** Origin of the agent's text changes (the run's UndoManagers track only this). */
  origin: object
  signal: AbortSignal
  /**
   * Asks an editor (unless the project or this run already allows it); resolves true when allowed. Time spent
   * waiting is not the tool's own time.
   */
  approve(what: { kind: ApprovalKind; text: string; stepId: string }): Promise<boolean>
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

/**
 * What a step asks an editor for: a command to run, a file to delete, a tool of one of the project's MCP servers
 * to call. Commands and MCP calls follow the project's command policy and "Always for this run"; deletions are
 * always asked.
 */
export type ApprovalKind = 'command' | 'delete' | 'mcp'

/** A tool's failure in words for the model (wrong path, quote not found): the run goes on. */
export class ToolError extends Error {}
