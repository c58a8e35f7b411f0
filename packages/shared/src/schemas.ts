import { z } from 'zod'
import { filePathSchema } from './file-path'
import { inviteRoleSchema } from './roles'

/** Largest file text accepted through the API, in characters (10 MiB of ASCII). */
export const MAX_FILE_CHARS = 10 * 1024 * 1024

export const idSchema = z.uuid({ message: 'must be an id (UUID)' })

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  .transform((e) => e.toLowerCase())

export const passwordSchema = z
  .string()
  .min(8, 'password must be at least 8 characters')
  .max(256, 'password must be at most 256 characters')

export const displayNameSchema = z.string().trim().min(1, 'name is required').max(80)

export const signUpInput = z.object({ email: emailSchema, password: passwordSchema, name: displayNameSchema })
export const signInInput = z.object({ email: emailSchema, password: z.string().min(1).max(256) })

export const projectNameSchema = z.string().trim().min(1, 'name is required').max(100)
export const createProjectInput = z.object({ name: projectNameSchema })
export const projectInput = z.object({ projectId: idSchema })
export const inviteInput = z.object({ projectId: idSchema, role: inviteRoleSchema })
export const joinInput = z.object({ code: z.string().trim().min(16).max(128) })

export const createFileInput = z.object({
  projectId: idSchema,
  path: filePathSchema,
  content: z.string().max(MAX_FILE_CHARS, `content is larger than ${MAX_FILE_CHARS} characters`).optional(),
})
export const renameFileInput = z.object({ projectId: idSchema, fileId: idSchema, path: filePathSchema })
export const fileInput = z.object({ projectId: idSchema, fileId: idSchema })
export const readFileInput = z.object({ projectId: idSchema, path: filePathSchema })
