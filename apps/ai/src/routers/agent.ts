import { AppError, ErrorCode } from '@mimiverse/shared'
import { agentEditInput, agentRunsInput, runInput, type AgentRun } from '../contracts/agent'
import { authedProcedure, router } from '../trpc'

// Contract stub: the implementation lands with issue 6.
const notYet = (): never => {
  throw new AppError(ErrorCode.Unavailable, 'the agent is not available yet')
}

export const agentRouter = router({
  edit: authedProcedure.input(agentEditInput).mutation((): { runId: string } => notYet()),
  status: authedProcedure.input(runInput).query((): AgentRun => notYet()),
  cancel: authedProcedure.input(runInput).mutation((): AgentRun => notYet()),
  accept: authedProcedure.input(runInput).mutation((): AgentRun => notYet()),
  undo: authedProcedure.input(runInput).mutation((): AgentRun => notYet()),
  runs: authedProcedure.input(agentRunsInput).query((): { runs: AgentRun[] } => notYet()),
})
