/** Projects whose last commit's exact time is remembered; past it the oldest is forgotten. */
const MAX_REMEMBERED_COMMITS = 10_000

/**
 * Since when edits count for the next commit. Git keeps a commit's time in whole seconds, so edits made in the
 * second of a commit after it would count again; for commits made here the exact moment is remembered (while
 * HEAD is still that commit); otherwise HEAD's commit time is used.
 */
export function createCommitTimes() {
  const made = new Map<string, { hash: string; at: Date }>()
  return {
    made(projectId: string, hash: string, at: Date) {
      made.delete(projectId)
      made.set(projectId, { hash, at })
      if (made.size > MAX_REMEMBERED_COMMITS) made.delete(made.keys().next().value!)
    },
    /** `head`: HEAD's commit and its committer time; undefined before the first commit. */
    since(projectId: string, head: { hash: string; time: Date } | undefined): Date | undefined {
      if (!head) return undefined
      const mine = made.get(projectId)
      return mine?.hash === head.hash ? mine.at : head.time
    },
  }
}
