import { router } from './trpc'
import { authRouter } from './routers/auth'
import { collabRouter } from './routers/collab'
import { filesRouter } from './routers/files'
import { projectsRouter } from './routers/projects'
import { blameRouter, historyRouter } from './routers/history'
import { commentsRouter } from './routers/comments'
import { settingsRouter } from './routers/settings'

/** The workspace API (public contract: other tools script against these names). */
export const appRouter = router({
  auth: authRouter,
  projects: projectsRouter,
  files: filesRouter,
  collab: collabRouter,
  history: historyRouter,
  blame: blameRouter,
  comments: commentsRouter,
  settings: settingsRouter,
})

export type AppRouter = typeof appRouter
