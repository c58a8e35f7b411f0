import { createFileInput, fileInput, projectInput, readFileInput, renameFileInput } from '@mimiverse/shared'
import { authedProcedure, router } from '../trpc'

export const filesRouter = router({
  // The only workspace procedure that carries file text.
  create: authedProcedure
    .meta({ largeBody: true })
    .input(createFileInput)
    .mutation(async ({ ctx, input }) => {
      const { id, path, docName } = await ctx.services.files.create(ctx.user.id, input)
      return { id, path, docName }
    }),
  list: authedProcedure
    .input(projectInput)
    .query(({ ctx, input }) => ctx.services.files.list(ctx.user.id, input.projectId)),
  rename: authedProcedure.input(renameFileInput).mutation(async ({ ctx, input }) => {
    const { id, path, docName } = await ctx.services.files.rename(ctx.user.id, input)
    return { id, path, docName }
  }),
  delete: authedProcedure.input(fileInput).mutation(async ({ ctx, input }) => {
    const { docName } = await ctx.services.files.delete(ctx.user.id, input)
    ctx.live.close(docName)
    // Anything a live client managed to log between the delete and the close is removed too.
    await ctx.services.store.remove(docName)
    return { ok: true as const }
  }),
  read: authedProcedure.input(readFileInput).query(async ({ ctx, input }) => {
    const { content } = await ctx.services.files.read(ctx.user.id, input)
    return { content }
  }),
})
