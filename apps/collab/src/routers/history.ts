import {
  createVersionInput,
  historyFileInput,
  restoreProjectInput,
  rollbackInput,
  versionInput,
} from '@mimiverse/shared'
import { authedProcedure, router } from '../trpc'

/**
 * Versions of files: any member (reviewers included) lists and opens them; editors name versions, restore a
 * file or a whole project, and roll back one author's edits. Restores and rollbacks are forward edits of the
 * live document (see `services/history.ts`).
 */
export const historyRouter = router({
  list: authedProcedure
    .input(historyFileInput)
    .query(({ ctx, input }) => ctx.services.history.list(ctx.user.id, input)),
  get: authedProcedure
    .input(versionInput)
    .query(({ ctx, input }) => ctx.services.history.get(ctx.user.id, input.versionId)),
  create: authedProcedure
    .input(createVersionInput)
    .mutation(({ ctx, input }) => ctx.services.history.create(ctx.user.id, input, ctx.live)),
  restore: authedProcedure
    .input(versionInput)
    .mutation(({ ctx, input }) => ctx.services.history.restore(ctx.user.id, input.versionId, ctx.live)),
  restoreProject: authedProcedure
    .input(restoreProjectInput)
    .mutation(({ ctx, input }) => ctx.services.history.restoreProject(ctx.user.id, input, ctx.live)),
  rollback: authedProcedure
    .input(rollbackInput)
    .mutation(({ ctx, input }) => ctx.services.history.rollback(ctx.user.id, input, ctx.live)),
})

/** Who last wrote each line of a file (person, agent run or the workspace), and when. */
export const blameRouter = router({
  get: authedProcedure
    .input(historyFileInput)
    .query(({ ctx, input }) => ctx.services.history.blame(ctx.user.id, input, ctx.live)),
})
