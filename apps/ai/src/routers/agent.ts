import { agentEditInput, agentRunsInput, runInput, type AgentRun } from '../contracts/agent'
import { authedProcedure, router } from '../trpc'

/**
 * The agent API (issue 6). `edit` answers with the run id at once; the run then works in the document, where
 * everyone watches it type. Every procedure checks membership of the run's project; reviewers may look but not
 * start, cancel, accept or undo.
 */
export const agentRouter = router({
  edit: authedProcedure
    .input(agentEditInput)
    .mutation(({ ctx, input }): Promise<{ runId: string }> => ctx.services.agent.edit(ctx.user, input)),
  status: authedProcedure
    .input(runInput)
    .query(({ ctx, input }): Promise<AgentRun> => ctx.services.agent.status(ctx.user, input.runId)),
  cancel: authedProcedure
    .input(runInput)
    .mutation(({ ctx, input }): Promise<AgentRun> => ctx.services.agent.cancel(ctx.user, input.runId)),
  accept: authedProcedure
    .input(runInput)
    .mutation(({ ctx, input }): Promise<AgentRun> => ctx.services.agent.accept(ctx.user, input.runId)),
  undo: authedProcedure
    .input(runInput)
    .mutation(({ ctx, input }): Promise<AgentRun> => ctx.services.agent.undo(ctx.user, input.runId)),
  runs: authedProcedure
    .input(agentRunsInput)
    .query(async ({ ctx, input }): Promise<{ runs: AgentRun[] }> => ({
      runs: await ctx.services.agent.runs(ctx.user, input.projectId),
    })),
})
