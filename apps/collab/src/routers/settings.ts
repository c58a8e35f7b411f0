import { COLORS_EVENT, projectInput, settingsPatchSchema } from '@mimiverse/shared'
import { authedProcedure, router } from '../trpc'

/** The signed-in user's own IDE settings; there is no way to name another user. */
export const settingsRouter = router({
  get: authedProcedure.query(({ ctx }) => ctx.services.settings.get(ctx.user.id)),
  update: authedProcedure.input(settingsPatchSchema).mutation(async ({ ctx, input }) => {
    const settings = await ctx.services.settings.update(ctx.user.id, input)
    if (input.color !== undefined) {
      // Everyone in the user's projects shows the new colour at once.
      for (const { id } of await ctx.services.projects.list(ctx.user.id)) {
        ctx.live.notify(id, { type: COLORS_EVENT, projectId: id })
      }
    }
    return settings
  }),
  colors: authedProcedure
    .input(projectInput)
    .query(({ ctx, input }) => ctx.services.settings.colors(ctx.user.id, input.projectId)),
})
