import { projectInput, settingsPatchSchema } from '@mimiverse/shared'
import { authedProcedure, router } from '../trpc'

/** The signed-in user's own IDE settings; there is no way to name another user. */
export const settingsRouter = router({
  get: authedProcedure.query(({ ctx }) => ctx.services.settings.get(ctx.user.id)),
  update: authedProcedure
    .input(settingsPatchSchema)
    .mutation(({ ctx, input }) => ctx.services.settings.update(ctx.user.id, input)),
  colors: authedProcedure
    .input(projectInput)
    .query(({ ctx, input }) => ctx.services.settings.colors(ctx.user.id, input.projectId)),
})
