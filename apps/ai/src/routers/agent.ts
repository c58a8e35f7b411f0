import {
  agentApproveInput,
  agentEditInput,
  agentEventsInput,
  agentRunsInput,
  agentSettingsInput,
  agentTaskInput,
  runInput,
  runPathInput,
  type AgentEvent,
  type AgentRun,
  type AgentTask,
} from '../contracts/agent'
import {
  addMcpServerInput,
  mcpServersInput,
  removeMcpServerInput,
  updateMcpServerInput,
  type McpServerInfo,
} from '../contracts/mcp-servers'
import type { Context } from '../context'
import { authedProcedure, router } from '../trpc'

/**
 * The agent API. `edit` rewrites one file; `task` starts a run that works across the project with tools, whose
 * plan and steps `events` returns (poll it with `after`), and whose commands wait for `approve`. `cancel`,
 * `accept` and `undo` take either kind of run (`path`: one file of a task run). Every procedure checks
 * membership of the run's project; reviewers may watch but not start, approve, cancel, accept or undo.
 * `mcpServers` lists the project's MCP servers whose tools runs may call (any member); owners and editors
 * `addMcpServer`, `updateMcpServer` and `removeMcpServer` (the bearer is never returned).
 */
type Services = Context['services']
type User = { id: string; name: string }

/** Dispatches to the task runs or the edit runs by the run id. */
async function byKind<T, U>(
  s: Services,
  runId: string,
  task: () => Promise<T>,
  edit: () => Promise<U>,
): Promise<T | U> {
  return (await s.tasks.isTask(runId)) ? task() : edit()
}

const review = (
  s: Services,
  user: User,
  input: { runId: string; path?: string },
  kind: 'accepted' | 'undone',
) =>
  byKind(
    s,
    input.runId,
    () => s.tasks.review(user, input.runId, kind, input.path),
    () => (kind === 'accepted' ? s.agent.accept(user, input.runId) : s.agent.undo(user, input.runId)),
  )

export const agentRouter = router({
  edit: authedProcedure
    .input(agentEditInput)
    .mutation(({ ctx, input }): Promise<{ runId: string }> => ctx.services.agent.edit(ctx.user, input)),
  task: authedProcedure
    .input(agentTaskInput)
    .mutation(({ ctx, input }): Promise<{ runId: string }> => ctx.services.tasks.start(ctx.user, input)),
  events: authedProcedure
    .input(agentEventsInput)
    .query(({ ctx, input }): Promise<{ run: AgentTask; events: AgentEvent[] }> =>
      ctx.services.tasks.events(ctx.user, input),
    ),
  approve: authedProcedure
    .input(agentApproveInput)
    .mutation(({ ctx, input }): Promise<AgentTask> => ctx.services.tasks.approve(ctx.user, input)),
  status: authedProcedure
    .input(runInput)
    .query(({ ctx, input }): Promise<AgentRun> => ctx.services.agent.status(ctx.user, input.runId)),
  cancel: authedProcedure.input(runInput).mutation(({ ctx, input }): Promise<AgentRun | AgentTask> =>
    byKind(
      ctx.services,
      input.runId,
      () => ctx.services.tasks.cancel(ctx.user, input.runId),
      () => ctx.services.agent.cancel(ctx.user, input.runId),
    ),
  ),
  accept: authedProcedure
    .input(runPathInput)
    .mutation(({ ctx, input }): Promise<AgentRun | AgentTask> =>
      review(ctx.services, ctx.user, input, 'accepted'),
    ),
  undo: authedProcedure
    .input(runPathInput)
    .mutation(({ ctx, input }): Promise<AgentRun | AgentTask> =>
      review(ctx.services, ctx.user, input, 'undone'),
    ),
  runs: authedProcedure
    .input(agentRunsInput)
    .query(async ({ ctx, input }): Promise<{ runs: AgentRun[]; tasks: AgentTask[] }> => ({
      runs: await ctx.services.agent.runs(ctx.user, input.projectId),
      tasks: await ctx.services.tasks.list(ctx.user, input.projectId),
    })),
  settings: authedProcedure
    .input(agentSettingsInput)
    .mutation(({ ctx, input }): Promise<{ allowCommands: boolean }> =>
      ctx.services.tasks.setAllowCommands(ctx.user, input.projectId, input.allowCommands),
    ),
  mcpServers: authedProcedure
    .input(mcpServersInput)
    .query(async ({ ctx, input }): Promise<{ servers: McpServerInfo[] }> => ({
      servers: await ctx.services.mcpServers.list(ctx.user, input.projectId),
    })),
  addMcpServer: authedProcedure
    .input(addMcpServerInput)
    .mutation(({ ctx, input }): Promise<McpServerInfo> => ctx.services.mcpServers.add(ctx.user, input)),
  updateMcpServer: authedProcedure
    .input(updateMcpServerInput)
    .mutation(({ ctx, input }): Promise<McpServerInfo> => ctx.services.mcpServers.update(ctx.user, input)),
  removeMcpServer: authedProcedure
    .input(removeMcpServerInput)
    .mutation(({ ctx, input }): Promise<{ removed: true }> =>
      ctx.services.mcpServers.remove(ctx.user, input.serverId),
    ),
})
