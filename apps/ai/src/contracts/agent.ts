import { z } from 'zod'
import { filePathSchema, idSchema } from '@mimiverse/shared'

/** Agent API (public contract, apps/ai/README.md): inputs are validated here; outputs are the types below. */
export const MAX_INSTRUCTION_CHARS = 4000

const line = z.number().int().min(1).max(1_000_000)

export const agentEditInput = z.object({
  docName: z.string().min(1).max(80),
  instruction: z
    .string()
    .max(MAX_INSTRUCTION_CHARS, `the instruction is longer than ${MAX_INSTRUCTION_CHARS} characters`)
    .refine((s) => s.trim().length > 0, { message: 'say what the edit should do' }),
  /** 1-based lines and columns, as Monaco counts them. */
  range: z
    .object({ startLine: line, startColumn: line.optional(), endLine: line, endColumn: line.optional() })
    .refine((r) => r.endLine >= r.startLine, { message: 'range: endLine is before startLine' })
    .optional(),
})

export const runInput = z.object({ runId: idSchema })
export const agentRunsInput = z.object({ projectId: idSchema })

export type AgentRunState = 'running' | 'done' | 'failed' | 'cancelled'

/** A one-file edit run (`agent.edit`). */
export interface AgentRun {
  runId: string
  kind: 'edit'
  projectId: string
  docName: string
  path: string
  instruction: string
  requester: { id: string; name: string }
  state: AgentRunState
  /** Why a run failed or was cancelled, or what it did, in words for the user. */
  message: string | null
  /** Edits (old/new pairs) applied so far, and characters inserted/deleted by the agent. */
  edits: number
  inserted: number
  deleted: number
  /** `pending` until someone accepts or undoes a finished run. */
  review: 'pending' | 'accepted' | 'undone'
  createdAt: string
  finishedAt: string | null
}

/** Most files a task may name as its starting point. */
export const MAX_TASK_FILES = 20

export const agentTaskInput = z.object({
  projectId: idSchema,
  instruction: agentEditInput.shape.instruction,
  /** Paths the requester points the agent at (it may read others). */
  files: z.array(filePathSchema).max(MAX_TASK_FILES).optional(),
})

export const agentEventsInput = z.object({
  runId: idSchema,
  /** The last event's `seq` the caller has; events after it are returned. */
  after: z.number().int().min(0).max(1_000_000_000).optional(),
})

export const ApprovalDecision = { Once: 'once', Always: 'always', Deny: 'deny' } as const
export type ApprovalDecision = (typeof ApprovalDecision)[keyof typeof ApprovalDecision]

export const agentApproveInput = z.object({
  runId: idSchema,
  stepId: z.string().min(1).max(40),
  decision: z.enum([ApprovalDecision.Once, ApprovalDecision.Always, ApprovalDecision.Deny]),
})

/** A run id, and for a task run optionally one of its files (accept/undo of that file only). */
export const runPathInput = z.object({ runId: idSchema, path: filePathSchema.optional() })

export const agentSettingsInput = z.object({ projectId: idSchema, allowCommands: z.boolean() })

export type AgentTaskState = AgentRunState | 'interrupted'

export interface AgentTaskFile {
  path: string
  docName: string
  inserted: number
  deleted: number
  review: 'pending' | 'accepted' | 'undone'
}

/** A task run: the agent working across the project on one instruction. */
export interface AgentTask {
  runId: string
  kind: 'task'
  projectId: string
  instruction: string
  /** The outside agent (over `/mcp`) whose session this run is, by name; null for Mimi's own runs. */
  agent: string | null
  requester: { id: string; name: string }
  state: AgentTaskState
  message: string | null
  /** Model turns taken and tokens spent (prompt + answer) so far. */
  steps: number
  tokens: number
  files: AgentTaskFile[]
  /** Over its files: `pending` until one is reviewed, `accepted`/`undone` when all were so, else `partial`. */
  review: 'pending' | 'accepted' | 'undone' | 'partial'
  createdAt: string
  finishedAt: string | null
}

/**
 * What a task run shows, in order (`seq` from 1): `plan` and `say` (the model's words), `step` (a tool call:
 * `tool`, `args`), `result` (its short result, `ok`), `approval` (a command, deletion or MCP tool call waiting for an editor), `decision`
 * (who decided what), `end` (`state`, `message`). Steps and their result, approval and decision share `stepId`.
 */
export interface AgentEvent {
  seq: number
  type: 'plan' | 'say' | 'step' | 'result' | 'approval' | 'decision' | 'end'
  stepId: string | null
  data: Record<string, unknown>
  at: string
}
