import { z } from 'zod'
import { idSchema, roleSchema } from '@mimiverse/shared'

/** The personal access tokens of outside agents (`mcp.*`); the secret is returned once, by `createToken`. */
export const createTokenInput = z.object({
  projectId: idSchema,
  /** Shown in the IDE and, with the client's name, as the agent's name in the session. */
  label: z.string().trim().min(1).max(60),
  role: roleSchema,
})

export const tokensInput = z.object({ projectId: idSchema })
export const revokeTokenInput = z.object({ tokenId: idSchema })
