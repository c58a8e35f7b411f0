import { z } from 'zod'
import { filePathSchema } from './file-path'
import { passwordProblem } from './password'
import { MAX_PASSWORD_LENGTH } from './password-length'
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

/**
 * A new password (sign-up or a change): it must meet `passwordProblem`'s rule. Where the account's email and
 * name are known, refine the whole object instead (as `signUpInput` does) so the password can't lean on them.
 */
export const newPasswordSchema = z.string().superRefine((password, ctx) => {
  const problem = passwordProblem(password)
  if (problem) ctx.addIssue({ code: 'custom', message: problem })
})

export const displayNameSchema = z.string().trim().min(1, 'name is required').max(80)

export const signUpInput = z
  .object({ email: emailSchema, password: z.string(), name: displayNameSchema })
  .superRefine(({ email, password, name }, ctx) => {
    const problem = passwordProblem(password, [email, name])
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
  })
/**
 * Any password that was ever accepted at sign-up signs in: today's rule (at most 256 code points, so up to 512
 * UTF-16 units) and the older, laxer ones. Only the bound against huge bodies applies here.
 */
export const signInInput = z.object({
  email: emailSchema,
  password: z
    .string()
    .min(1)
    .max(2 * MAX_PASSWORD_LENGTH),
})

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
