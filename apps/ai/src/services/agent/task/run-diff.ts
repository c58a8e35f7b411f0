import { AppError, ErrorCode } from '@mimiverse/shared'
import { describeGitDiff } from '../../mcp/workspace-views'
import { showDiff } from './read-tools'
import type { ToolContext } from './tool-context'

/**
 * The agent's `show_diff`: in a workspace that is a git repository, real `git diff` of the working tree against
 * its last commit (the runner's `git.patch`, after every edit of the run reached the working tree, as for
 * commands), which shows what the run changed together with what people changed and the untracked files.
 * Without a runner, or in a workspace without a repository, the run's own diff (each file from when the run
 * first opened it).
 */
export async function showRunDiff(ctx: ToolContext, path?: string): Promise<string> {
  if (ctx.git) {
    await ctx.external(ctx.files.acknowledged())
    try {
      const diff = await ctx.external(
        describeGitDiff(ctx.git, ctx.projectId, { ...(path ? { path } : {}), staged: false }),
      )
      return `git diff (the workspace against its last commit, everyone's changes):\n${diff}`
    } catch (e: unknown) {
      if (!noRepository(e)) throw e
    }
  }
  return showDiff(ctx, path)
}

/** The runner's answers for a workspace without git (no repository, or workspaces off on this server). */
function noRepository(e: unknown): boolean {
  return e instanceof AppError && (e.code === ErrorCode.NotFound || e.code === ErrorCode.Unavailable)
}
