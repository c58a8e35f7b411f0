import { z } from 'zod'
import { idSchema } from '@mimiverse/shared'

/** Agent API (public contract, issue 6): inputs are validated here; outputs are the types below. */
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

export interface AgentRun {
  runId: string
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
