import { z } from 'zod'
import { idSchema } from '@mimiverse/shared'

/**
 * Inputs of the AI API (public contract). Sizes bound the request body and the prompt; the completion prompt
 * is clipped further to its budget (services/fim.ts). Candidates for packages/shared once the web app uses them.
 */
export const MAX_CHAT_MESSAGES = 50
export const MAX_MESSAGE_CHARS = 32_000
export const MAX_CONVERSATION_CHARS = 120_000
export const MAX_FIM_CHARS = 32_000
export const MAX_EMBED_TEXTS = 64
export const MAX_EMBED_CHARS = 8_000

const docNameSchema = z.string().min(1).max(80)

export const chatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().max(MAX_MESSAGE_CHARS, `a message is longer than ${MAX_MESSAGE_CHARS} characters`),
})

export const chatInput = z.object({
  projectId: idSchema,
  messages: z
    .array(chatMessageSchema)
    .min(1, 'at least one message')
    .max(MAX_CHAT_MESSAGES, `at most ${MAX_CHAT_MESSAGES} messages`)
    .refine((ms) => ms.reduce((n, m) => n + m.content.length, 0) <= MAX_CONVERSATION_CHARS, {
      message: `the conversation is longer than ${MAX_CONVERSATION_CHARS} characters`,
    })
    .refine((ms) => ms[ms.length - 1]?.role === 'user', { message: 'the last message must be the user’s' }),
  docName: docNameSchema.optional(),
  selection: z
    .object({
      text: z.string().max(MAX_MESSAGE_CHARS),
      startLine: z.number().int().min(1).optional(),
      endLine: z.number().int().min(1).optional(),
    })
    .optional(),
})

/** Bounds of a completion's repository context sent by the editor. */
export const MAX_OPEN_FILES = 20
export const MAX_RECENT_EDITS = 8
export const MAX_RECENT_EDIT_CHARS = 2_000

export const completeInput = z.object({
  docName: docNameSchema,
  prefix: z.string().max(MAX_FIM_CHARS, `prefix is longer than ${MAX_FIM_CHARS} characters`),
  suffix: z.string().max(MAX_FIM_CHARS, `suffix is longer than ${MAX_FIM_CHARS} characters`),
  path: z.string().min(1).max(1024).optional(),
  language: z.string().min(1).max(64).optional(),
  /** Document names of the other files open in the editor (same project). */
  openFiles: z.array(docNameSchema).max(MAX_OPEN_FILES, `at most ${MAX_OPEN_FILES} open files`).default([]),
  /** Code the user edited recently elsewhere, most recent first. */
  recentEdits: z
    .array(
      z.object({
        path: z.string().min(1).max(1024),
        text: z
          .string()
          .max(MAX_RECENT_EDIT_CHARS, `a recent edit is longer than ${MAX_RECENT_EDIT_CHARS} characters`),
      }),
    )
    .max(MAX_RECENT_EDITS, `at most ${MAX_RECENT_EDITS} recent edits`)
    .default([]),
  /** Only re-attach to a completion in flight (never start a model call); see services/inflight.ts. */
  reuseOnly: z.boolean().default(false),
})

export const completionEventInput = z.object({
  docName: docNameSchema,
  kind: z.enum(['shown', 'accepted', 'dismissed']),
  latencyMs: z.number().int().min(0).max(600_000),
  model: z.string().min(1).max(200),
})

export const completionStatsInput = z.object({ projectId: idSchema })

export const embedInput = z.object({
  texts: z
    .array(z.string().max(MAX_EMBED_CHARS, `a text is longer than ${MAX_EMBED_CHARS} characters`))
    .min(1)
    .max(MAX_EMBED_TEXTS, `at most ${MAX_EMBED_TEXTS} texts`),
  kind: z.enum(['document', 'query']).default('document'),
})
