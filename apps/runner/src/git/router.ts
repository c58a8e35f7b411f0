import { initTRPC, TRPCError } from '@trpc/server'
import { z } from 'zod'
import { findRole, findSessionUser, type Database, type SessionUser } from '@mimiverse/db'
import { AppError, canWrite, ErrorCode, type Role } from '@mimiverse/shared'
import {
  createResponseBudget,
  formatError,
  handleProcedureError,
  type ApiMeta,
  type Logger,
  type ResponseBudget,
} from '@mimiverse/server-kit'
import type { GitService } from './git-service'
import { MAX_REMOTE_URL_LENGTH } from './remote-policy'
import type { RemoteService } from './remote-service'

/**
 * `git.*`, the runner's tRPC API at `/runner/trpc` (public contract: apps/runner/README.md). Authorized by project
 * role on every call, from the database, like the terminals: editors and owners do everything; reviewers read
 * (status, diff, log, branches) and are refused the rest.
 */
export interface GitContext {
  git: GitService
  remotes: RemoteService
  database: Database
  log: Logger
  user: SessionUser | null
  responseBudget?: ResponseBudget
}

const t = initTRPC.context<GitContext>().meta<ApiMeta>().create({ isDev: false, errorFormatter: formatError })

const errors = t.middleware(async ({ ctx, next }) => {
  const result = await next()
  if (!result.ok) handleProcedureError(result.error)
  else ctx.responseBudget?.charge(result.data)
  return result
})

const project = z.object({ projectId: z.uuid() })
const path = z.string().min(1).max(4096)
const hunk = z.object({ path, header: z.string().min(1).max(200) })
const selection = project.extend({
  paths: z.array(path).max(5000).default([]),
  hunks: z.array(hunk).max(500).default([]),
})
const branch = z.string().min(1).max(200)
/** No control characters: each credential travels as one line to the sandbox (git-process.ts). */
const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\x00-\x1f\x7f]*$/, 'No control characters')
const remote = project.extend({
  url: z.string().trim().min(1).max(MAX_REMOTE_URL_LENGTH),
  /** New credentials; null forgets them; left out keeps them while the URL stays on the same host. */
  credentials: z
    .object({ username: printable(256), password: printable(4096) })
    .nullable()
    .optional(),
})

/** A member of the project: `write` procedures need an editor or owner. */
function member(write: boolean) {
  return t.procedure
    .use(errors)
    .input(project)
    .use(async ({ ctx, input, next }) => {
      if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' })
      const role: Role | null = await findRole(ctx.database.db, ctx.user.id, input.projectId)
      if (!role) throw new AppError(ErrorCode.Forbidden, 'You are not a member of this project')
      if (write && !canWrite(role)) {
        throw new AppError(
          ErrorCode.Forbidden,
          'Reviewers can look at git status, diffs and log, not change them',
        )
      }
      return next({ ctx: { ...ctx, user: ctx.user, role } })
    })
}
const reader = member(false)
const writer = member(true)

export const gitRouter = t.router({
  init: writer.mutation(({ ctx, input }) => ctx.git.init(input.projectId)),
  status: reader.query(({ ctx, input }) => ctx.git.status(input.projectId)),
  diff: reader
    .input(project.extend({ path, staged: z.boolean().default(false) }))
    .query(({ ctx, input }) => ctx.git.diff(input.projectId, input)),
  // "Stage all" of a large change names thousands of paths: more than the 64 KiB of an ordinary body.
  stage: writer
    .meta({ largeBody: true })
    .input(selection)
    .mutation(({ ctx, input }) => ctx.git.stage(input.projectId, input)),
  unstage: writer
    .meta({ largeBody: true })
    .input(selection)
    .mutation(({ ctx, input }) => ctx.git.unstage(input.projectId, input)),
  commit: writer
    .meta({ largeBody: true })
    .input(project.extend({ message: z.string().trim().min(1, 'Write a commit message').max(100_000) }))
    .mutation(({ ctx, input }) =>
      ctx.git.commit(input.projectId, { message: input.message, committer: ctx.user }),
    ),
  log: reader
    .input(project.extend({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => ctx.git.log(input.projectId, input)),
  branches: reader.query(({ ctx, input }) => ctx.git.branches(input.projectId)),
  createBranch: writer
    .input(project.extend({ name: branch, checkout: z.boolean().default(true) }))
    .mutation(({ ctx, input }) => ctx.git.createBranch(input.projectId, input)),
  checkout: writer
    .input(project.extend({ branch }))
    .mutation(({ ctx, input }) => ctx.git.checkout(input.projectId, input)),
  merge: writer
    .input(project.extend({ branch }))
    .mutation(({ ctx, input }) =>
      ctx.git.merge(input.projectId, { branch: input.branch, committer: ctx.user }),
    ),
  remote: reader.query(({ ctx, input }) => ctx.remotes.info(input.projectId)),
  setRemote: writer
    .input(remote)
    .mutation(({ ctx, input }) => ctx.remotes.set(input.projectId, input, ctx.user)),
  removeRemote: writer.mutation(({ ctx, input }) => ctx.remotes.remove(input.projectId)),
  fetch: writer.mutation(({ ctx, input }) => ctx.remotes.fetch(input.projectId, ctx.user)),
  pull: writer.mutation(({ ctx, input }) => ctx.remotes.pull(input.projectId, ctx.user)),
  push: writer.mutation(({ ctx, input }) => ctx.remotes.push(input.projectId, ctx.user)),
  /** Clones the remote into a workspace without a repository; with `url`, sets the remote first. */
  clone: writer.input(remote.partial({ url: true })).mutation(async ({ ctx, input }) => {
    if (input.url) await ctx.remotes.set(input.projectId, { ...input, url: input.url }, ctx.user)
    return ctx.remotes.clone(input.projectId, ctx.user)
  }),
})

export const runnerRouter = t.router({ git: gitRouter })

/** The runner API's type, for clients (`import type`). */
export type RunnerRouter = typeof runnerRouter

export async function createGitContext(
  base: Omit<GitContext, 'user' | 'responseBudget'>,
  sessionToken: string | null,
): Promise<GitContext> {
  const user = sessionToken ? await findSessionUser(base.database.db, sessionToken) : null
  return { ...base, user, responseBudget: createResponseBudget() }
}
