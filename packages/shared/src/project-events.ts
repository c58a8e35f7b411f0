import { COMMENTS_EVENT, type CommentsEvent } from './comment-schemas'

/** The project's file list changed: a file was created, renamed or deleted (by a member, an agent or the workspace). */
export const FILES_EVENT = 'mimi.files'
/** A member of the project changed their presence colour. */
export const COLORS_EVENT = 'mimi.colors'

/**
 * What the collab server announces to a project's clients as stateless messages (JSON): on every open document
 * of the project, and on its events document (`<projectId>/events`), which every open IDE of the project holds,
 * so a browser with no file open hears them too. Clients read again what changed instead of polling.
 */
export type ProjectEvent =
  | CommentsEvent
  | { type: typeof FILES_EVENT; projectId: string }
  | { type: typeof COLORS_EVENT; projectId: string }
export type ProjectEventType = ProjectEvent['type']

const TYPES: readonly string[] = [COMMENTS_EVENT, FILES_EVENT, COLORS_EVENT]

/** The type of the project event a stateless message carries, if it is one for `projectId`; null otherwise. */
export function projectEventOf(payload: string, projectId: string): ProjectEventType | null {
  try {
    const event = JSON.parse(payload) as { type?: unknown; projectId?: unknown }
    if (event.projectId !== projectId || typeof event.type !== 'string' || !TYPES.includes(event.type)) {
      return null
    }
    return event.type as ProjectEventType
  } catch {
    return null
  }
}
