import { hashToken } from '@mimiverse/db'
import { projectInput, Role } from '@mimiverse/shared'
import { authedProcedure, router } from '../trpc'

export const collabRouter = router({
  /**
   * A short-lived token for the collab WebSocket, valid for the documents of one project while the session that
   * asked for it lasts (it carries the session's token hash, so signing out ends it).
   */
  token: authedProcedure.input(projectInput).mutation(async ({ ctx, input }) => {
    const role = await ctx.services.access.require(ctx.user.id, input.projectId, Role.Reviewer)
    const { token, expiresAt } = ctx.services.tokens.issue({
      userId: ctx.user.id,
      name: ctx.user.name,
      projectId: input.projectId,
      role,
      sessionTokenHash: hashToken(ctx.sessionToken),
    })
    return { token, role, expiresAt: expiresAt.toISOString() }
  }),
})
