import { router } from './trpc'
import { aiRouter } from './routers/ai'

/** The AI API (public contract), served at `/ai/trpc`. The web app imports only its type. */
export const appRouter = router({
  ai: aiRouter,
})

export type AppRouter = typeof appRouter
