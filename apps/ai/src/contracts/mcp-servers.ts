import { z } from 'zod'
import { idSchema } from '@mimiverse/shared'

/**
 * The project's MCP servers whose tools the agent may call (`agent.mcpServers`, `agent.addMcpServer`,
 * `agent.updateMcpServer`, `agent.removeMcpServer`). The bearer is write-only: the API says whether one is set,
 * never what it is.
 */
export const MAX_MCP_SERVERS = 10
export const MAX_MCP_URL_CHARS = 2048
export const MAX_MCP_BEARER_CHARS = 4096

/**
 * Part of the tool names the model sees (`mcp__<name>__<tool>`): lowercase letters, digits and single dashes,
 * so names stay valid tool names and cannot contain the `__` separator.
 */
export const mcpServerNameSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'use lowercase letters, digits and dashes (e.g. issue-tracker)')
  .max(32)

const url = z.string().trim().min(1).max(MAX_MCP_URL_CHARS)
const bearer = z.string().trim().min(1).max(MAX_MCP_BEARER_CHARS)

export const mcpServersInput = z.object({ projectId: idSchema })

export const addMcpServerInput = z.object({
  projectId: idSchema,
  name: mcpServerNameSchema,
  /** A streamable HTTP endpoint (https; plain http only for hosts the operator allows). */
  url,
  /** Sent as `Authorization: Bearer <bearer>`; stored encrypted. */
  bearer: bearer.optional(),
  enabled: z.boolean().optional(),
})

export const updateMcpServerInput = z.object({
  serverId: idSchema,
  name: mcpServerNameSchema.optional(),
  url: url.optional(),
  /** A new bearer, or null to remove it; absent keeps it. */
  bearer: bearer.nullable().optional(),
  enabled: z.boolean().optional(),
})

export const removeMcpServerInput = z.object({ serverId: idSchema })

export interface McpServerInfo {
  id: string
  projectId: string
  name: string
  url: string
  /** Whether a bearer is stored (its value is never returned). */
  hasBearer: boolean
  enabled: boolean
  createdAt: string
  updatedAt: string
}
