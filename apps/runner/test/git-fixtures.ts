import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import { signUp, type TestUser } from '@mimiverse/collab/testing'
import type { RunnerRouter } from '../src/git/index'
import { newMirrorWorld, type MirrorWorld } from './mirror-fixtures'

/** The runner's API (`/runner/trpc`) as a signed-in user, as the web app calls it. */
export function runnerClient(baseUrl: string, token: string) {
  return createTRPCClient<RunnerRouter>({
    links: [
      httpLink({ url: `${baseUrl}/runner/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) }),
    ],
  })
}
export type RunnerClient = ReturnType<typeof runnerClient>

export interface GitWorld extends MirrorWorld {
  /** The owner's git API. */
  git: RunnerClient['git']
  /** A new member with that role and their git API. */
  member(role: 'editor' | 'reviewer', name: string): Promise<TestUser & { git: RunnerClient['git'] }>
}

/** A mirrored project whose owner has initialized a repository. */
export async function newGitWorld(
  options: { init?: boolean } & Parameters<typeof newMirrorWorld>[0] = {},
): Promise<GitWorld> {
  const world = await newMirrorWorld(options)
  const git = runnerClient(world.server.url, world.owner.token).git
  if (options.init ?? true) await git.init.mutate({ projectId: world.projectId })
  return {
    ...world,
    git,
    member: async (role, name) => {
      const user = await signUp(world.server.url, name)
      const { code } = await world.owner.api.projects.invite.mutate({ projectId: world.projectId, role })
      await user.api.projects.join.mutate({ code })
      return { ...user, git: runnerClient(world.server.url, user.token).git }
    },
  }
}

/** The code and message a call failed with. */
export async function failureOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call
  } catch (e: unknown) {
    if (e instanceof TRPCClientError) {
      return { code: String((e.data as { code?: string } | undefined)?.code), message: e.message }
    }
    throw e
  }
  throw new Error('expected the call to fail')
}
