import { isHttps, sessionCookie } from '@mimiverse/server-kit'
import { signInInput, signUpInput } from '@mimiverse/shared'
import { authedProcedure, publicProcedure, router } from '../trpc'
import type { Context } from '../context'

function setSession(ctx: Context, token: string | null) {
  const value = sessionCookie(token ?? '', {
    maxAgeSeconds: token ? ctx.sessionTtlSeconds : 0,
    secure: isHttps(ctx.req),
  })
  ctx.res.appendHeader('Set-Cookie', value)
}

export const authRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    await ctx.services.limits.signUp.hit(ctx.ip)
    const result = await ctx.services.accounts.signUp(input)
    setSession(ctx, result.token)
    return result
  }),
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    await ctx.services.limits.signInPerAddress.hit(ctx.ip)
    await ctx.services.limits.signIn.hit(`${ctx.ip} ${input.email}`)
    const result = await ctx.services.accounts.signIn(input)
    setSession(ctx, result.token)
    return result
  }),
  signOut: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.accounts.signOut(ctx.sessionToken)
    setSession(ctx, null)
    return { ok: true as const }
  }),
  me: publicProcedure.query(({ ctx }) => ({ user: ctx.user })),
})
