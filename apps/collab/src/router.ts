import { router } from './trpc'
import { authRouter } from './routers/auth'
import { collabRouter } from './routers/collab'
import { filesRouter } from './routers/files'
import { projectsRouter } from './routers/projects'

/** The workspace API (public contract: other tools script against these names). */
export const appRouter = router({
  auth: authRouter,
  projects: projectsRouter,
  files: filesRouter,
  collab: collabRouter,
})

export type AppRouter = typeof appRouter
