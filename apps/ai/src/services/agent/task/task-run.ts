import type { Message } from 'ollama'
import { AppError } from '@mimiverse/shared'
import type { AgentEvent, AgentTaskState } from '../../../contracts/agent'
import { compactHistory } from './history'
import type { McpToolset } from '../mcp-servers/mcp-toolset'
import type { ToolChat } from './tool-chat'
import { callTool, ollamaTools } from './tools'
import type { ToolContext } from './tool-context'
import { taskPrompt } from './task-prompt'

/**
 * The loop of one task run: ask the model (with the tools), show what it said, run each tool call it asked
 * for, send the results back, again, until it answers without a tool call (done), the step limit or the token
 * budget is reached, the model fails, or someone cancels. Every tool failure is text for the model; a model
 * failure ends the run. Each edit is one transaction, so whenever the run stops every document is whole.
 */
export interface TaskSpec {
  instruction: string
  files: string[]
  maxSteps: number
  maxTokens: number
}

export interface TaskDeps {
  model: ToolChat
  ctx: ToolContext
  /** Shows an event to everyone (persisted in order by the caller). */
  emit(e: Omit<AgentEvent, 'seq' | 'at'>): void
  progress(p: { steps: number; tokens: number }): void
  /** Our own time of one tool round trip (arguments parsed to result ready), in ms. */
  onToolTime?(tool: string, ms: number): void
  /** The project's MCP servers' tools, opened once the run starts (listing them shows as steps). */
  openMcp?(): Promise<McpToolset>
}

export interface TaskOutcome {
  state: Exclude<AgentTaskState, 'running' | 'interrupted'>
  message: string
  steps: number
  tokens: number
}

/** Most tool calls of one model turn that are run (a model may ask for dozens at once). */
const MAX_CALLS_PER_TURN = 8
/** Longest text of an event: its arguments and results are summaries, the model gets the whole. */
const EVENT_TEXT = 400

export async function runTask(spec: TaskSpec, deps: TaskDeps): Promise<TaskOutcome> {
  const { ctx } = deps
  const messages: Message[] = taskPrompt({
    instruction: spec.instruction,
    requester: ctx.requester.name,
    files: spec.files,
  })
  let mcp: McpToolset | null = null
  let steps = 0
  let tokens = 0
  let planned = false
  let call = 0
  const end = (state: TaskOutcome['state'], message: string): TaskOutcome => ({
    state,
    message,
    steps,
    tokens,
  })
  try {
    mcp = (await deps.openMcp?.()) ?? null
    const tools = [...ollamaTools(), ...(mcp?.tools ?? [])]
    for (;;) {
      if (ctx.signal.aborted) return end('cancelled', 'Cancelled.')
      if (steps >= spec.maxSteps) {
        return end(
          'failed',
          `Stopped after ${steps} steps (the step limit); the changes so far stay for review.`,
        )
      }
      if (tokens >= spec.maxTokens) {
        return end(
          'failed',
          `Stopped: the token budget (${spec.maxTokens}) is spent; the changes so far stay for review.`,
        )
      }
      compactHistory(messages)
      const turn = await ctx.external(deps.model.turn(messages, tools, ctx.signal))
      steps++
      tokens += turn.promptTokens + turn.outputTokens
      deps.progress({ steps, tokens })
      const said = turn.content.trim()
      if (said) deps.emit({ type: planned ? 'say' : 'plan', stepId: null, data: { text: clip(said, 4000) } })
      planned ||= said.length > 0
      messages.push({
        role: 'assistant',
        content: turn.content,
        ...(turn.toolCalls.length > 0
          ? {
              tool_calls: turn.toolCalls.map((t) => ({ function: { name: t.name, arguments: t.arguments } })),
            }
          : {}),
      })
      if (turn.toolCalls.length === 0) return end('done', said ? clip(said, 2000) : 'Done.')
      for (const [i, tc] of turn.toolCalls.entries()) {
        if (ctx.signal.aborted) return end('cancelled', 'Cancelled.')
        const stepId = `s${++call}`
        if (i >= MAX_CALLS_PER_TURN) {
          messages.push({
            role: 'tool',
            tool_name: tc.name,
            content: `Error: at most ${MAX_CALLS_PER_TURN} tool calls per answer; this one was not run.`,
          })
          continue
        }
        deps.emit({
          type: 'step',
          stepId,
          data: { tool: tc.name, args: clip(JSON.stringify(tc.arguments), EVENT_TEXT) },
        })
        const started = performance.now()
        const external = ctx.externalMs()
        const stepCtx = { ...ctx, stepId }
        const out = mcp?.has(tc.name)
          ? await mcp.call(tc.name, tc.arguments, stepCtx)
          : await callTool(tc.name, tc.arguments, stepCtx)
        deps.onToolTime?.(tc.name, performance.now() - started - (ctx.externalMs() - external))
        messages.push({ role: 'tool', tool_name: tc.name, content: out.text })
        deps.emit({ type: 'result', stepId, data: { ok: out.ok, summary: clip(out.text, EVENT_TEXT) } })
      }
    }
  } catch (e: unknown) {
    if (ctx.signal.aborted) return end('cancelled', 'Cancelled.')
    const message = e instanceof AppError ? e.message : 'the agent failed unexpectedly'
    return end('failed', `Stopped: ${message}. The changes so far stay for review.`)
  } finally {
    await mcp?.close()
  }
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s
}
