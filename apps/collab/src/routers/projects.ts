import { createProjectInput, inviteInput, joinInput, projectInput } from '@mimiverse/shared'
import { authedProcedure, router } from '../trpc'

export const projectsRouter = router({
  create: authedProcedure
    .input(createProjectInput)
    .mutation(({ ctx, input }) => ctx.services.projects.create(ctx.user.id, input.name)),
  list: authedProcedure.query(({ ctx }) => ctx.services.projects.list(ctx.user.id)),
  invite: authedProcedure
    .input(inviteInput)
    .mutation(({ ctx, input }) => ctx.services.projects.invite(ctx.user.id, input.projectId, input.role)),
  join: authedProcedure
    .input(joinInput)
    .mutation(({ ctx, input }) => ctx.services.projects.join(ctx.user.id, input.code)),
  members: authedProcedure
    .input(projectInput)
    .query(({ ctx, input }) => ctx.services.projects.members(ctx.user.id, input.projectId)),
})
