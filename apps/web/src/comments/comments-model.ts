import * as Y from 'yjs'
import { COMMENTS_EVENT, projectEventOf } from '@mimiverse/shared'
import type { ApiOutputs } from '../api/trpc'

/** A thread as `comments.list` returns it (dates arrive as ISO strings: the API has no transformer). */
export type Thread = ApiOutputs['comments']['list'][number]
export type ThreadComment = Thread['replies'][number]
export type Mention = ApiOutputs['comments']['inbox'][number]

/** What the Comments panel shows; `null` fields do not filter. */
export interface CommentFilter {
  status: 'open' | 'resolved' | null
  path: string | null
  author: string | null
}

export const ALL_COMMENTS: CommentFilter = { status: 'open', path: null, author: null }

export function filterThreads(threads: Thread[], f: CommentFilter): Thread[] {
  return threads.filter(
    (t) =>
      (f.status === null || t.status === f.status) &&
      (f.path === null || t.path === f.path) &&
      (f.author === null || t.author.id === f.author),
  )
}

/** The people who started threads, for the author filter (by name, each once). */
export function threadAuthors(threads: Thread[]): { id: string; name: string }[] {
  const byId = new Map(threads.map((t) => [t.author.id, t.author.name]))
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name))
}

/** Whether a stateless message says this project's comments changed. */
export function isCommentsEvent(payload: string, projectId: string): boolean {
  return projectEventOf(payload, projectId) === COMMENTS_EVENT
}

/** A thread's range in the client's own copy of the file: text offsets, or null when its code is gone. */
export function resolveThread(doc: Y.Doc, thread: Thread): { from: number; to: number } | null {
  const at = (b64: string) => {
    try {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), doc)?.index ?? null
    } catch {
      return null
    }
  }
  const from = at(thread.anchor.from)
  const to = at(thread.anchor.to)
  return from === null || to === null || from >= to ? null : { from, to }
}

/** Encodes a text offset of `text` as the API's relative position (base64), sticking to the character's side. */
export function encodePosition(text: Y.Text, index: number, assoc: number): string {
  const bytes = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))
  return btoa(String.fromCharCode(...bytes))
}

/** "2 minutes ago"-free, stable short time for lists. */
export function shortTime(iso: string | Date): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })
}
