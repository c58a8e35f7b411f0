import { createTRPCClient, httpLink } from '@trpc/client'
import type { inferRouterOutputs } from '@trpc/server'
import type { RunnerRouter } from '@mimiverse/runner/git'

/** The runner's API (`/runner/trpc`, same origin: the session cookie travels by itself): `git.*`. */
export const runnerApi = createTRPCClient<RunnerRouter>({ links: [httpLink({ url: '/runner/trpc' })] })

type Outputs = inferRouterOutputs<RunnerRouter>['git']
export type GitStatus = Outputs['status']
export type GitFile = GitStatus['files'][number]
export type GitCommit = Outputs['log'][number]
export type GitBranch = Outputs['branches'][number]
export type GitDiff = Outputs['diff']
export type GitRemote = Outputs['remote']
