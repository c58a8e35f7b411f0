import { AuthorKind, authorsOfFiles, type Db, type FilesAuthor } from '@mimiverse/db'
import { AGENT_NAME } from '@mimiverse/shared'
import type { AuthorshipRecorder } from './authorship'

/** A person (or the agent) to credit in a commit: a `Co-authored-by:` trailer. */
export interface CommitAuthor {
  name: string
  email: string
}

/**
 * The AI agent's identity in commits. The address is in `.invalid` (RFC 2606: never resolves, never routes), so
 * no mail reaches anyone and no forge links it to an account; it is the same for every run and every member.
 */
export const AGENT_COMMIT_AUTHOR: CommitAuthor = {
  name: `${AGENT_NAME} (AI agent)`,
  email: 'ai-agent@mimiverse.invalid',
}

export interface CommitAuthorsRequest {
  /** The files of the commit (project paths, as git lists what is staged). */
  paths: string[]
  /** Edits since this time count (the time of HEAD's commit); undefined: all of the files' history. */
  since?: Date
  /** The member who commits: the committer, never a co-author of their own commit. */
  committerId: string
}

/** Who wrote what a commit contains besides its committer (the runner's `git.commit` asks; see its README). */
export type CommitAuthors = (projectId: string, request: CommitAuthorsRequest) => Promise<CommitAuthor[]>

/**
 * Co-authors from the authorship the server records on authenticated connections: every member who edited one
 * of the commit's files since `since`, the agent (one trailer for all its runs), and members whose outside tools
 * (MCP) edited them. Edits by the workspace mirror (files written by terminal commands, git itself) and by the
 * server have no person to credit. Edits still buffered on this node are written first, so a keystroke that is
 * in the commit is in the answer.
 */
export function createCommitAuthors(deps: { db: Db; authorship: AuthorshipRecorder }): CommitAuthors {
  return async (projectId, request) => {
    await deps.authorship.flush()
    const authors = await authorsOfFiles(deps.db, projectId, request.paths, request.since)
    const credited = new Map<string, CommitAuthor>()
    for (const author of authors) {
      const person = creditOf(author, request.committerId)
      if (person) credited.set(person.email.toLowerCase(), person)
    }
    return [...credited.values()]
  }
}

function creditOf(author: FilesAuthor, committerId: string): CommitAuthor | null {
  switch (author.kind) {
    case AuthorKind.Agent:
      return AGENT_COMMIT_AUTHOR
    case AuthorKind.User:
    case AuthorKind.Mcp:
      if (author.userId === committerId || !author.email) return null
      return { name: author.name ?? author.email, email: author.email }
    case AuthorKind.Mirror:
    case AuthorKind.Server:
      return null
  }
}
