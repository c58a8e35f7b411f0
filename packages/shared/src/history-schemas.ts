import { z } from 'zod'
import { filePathSchema } from './file-path'
import { idSchema } from './schemas'

/** Inputs of the history and blame procedures (workspace API). Times are ISO 8601 strings on the wire. */
export const historyFileInput = z.object({ projectId: idSchema, path: filePathSchema })
export const versionInput = z.object({ versionId: idSchema })
export const createVersionInput = historyFileInput.extend({ name: z.string().trim().min(1).max(100) })
const time = z.iso.datetime({ offset: true }).transform((s) => new Date(s))
/** Whose edits a rollback undoes: a member's own typing, an agent run, or the workspace mirror. */
export const authorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: idSchema }),
  z.object({ kind: z.literal('agent'), runId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('mirror') }),
])
export type AuthorInput = z.infer<typeof authorSchema>
export const rollbackInput = historyFileInput.extend({
  author: authorSchema,
  from: time.optional(),
  to: time.optional(),
})
export const restoreProjectInput = z.object({ projectId: idSchema, at: time })
