import { router } from './trpc'
import { agentRouter } from './routers/agent'
import { aiRouter } from './routers/ai'
import { mcpRouter } from './routers/mcp'
import { searchRouter } from './routers/search'

/** The AI API (public contract), served at `/ai/trpc`. The web app imports only its type. */
export const appRouter = router({
  ai: aiRouter,
  search: searchRouter,
  agent: agentRouter,
  mcp: mcpRouter,
})

export type AppRouter = typeof appRouter
