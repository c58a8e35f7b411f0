import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import type { Db } from '@mimiverse/db'
import type { Logger } from '@mimiverse/server-kit'
import { AppError, ErrorCode } from '@mimiverse/shared'
import {
  MAX_MCP_SERVERS,
  type addMcpServerInput,
  type McpServerInfo,
  type updateMcpServerInput,
} from '../../../contracts/mcp-servers'
import type { Workspace } from '../../workspace'
import { requireWriter } from '../run-registry'
import { createSecretBox, type SecretBox } from './secret-box'
import { checkServerUrl } from './server-url'
import { createServerStore, type ServerChange, type ServerRow } from './server-store'

/**
 * The project's MCP servers (`agent.mcpServers`, `agent.addMcpServer`, `agent.updateMcpServer`,
 * `agent.removeMcpServer`): any member lists them; owners and editors add, change and remove them. URLs are
 * checked against the operator's policy (`checkServerUrl`) when saved and again when a run uses them; bearers
 * are sealed with the server secret and never returned.
 */
export interface McpServerService {
  list(user: User, projectId: string): Promise<McpServerInfo[]>
  add(user: User, input: z.infer<typeof addMcpServerInput>): Promise<McpServerInfo>
  update(user: User, input: z.infer<typeof updateMcpServerInput>): Promise<McpServerInfo>
  remove(user: User, serverId: string): Promise<{ removed: true }>
  /** The enabled servers a run of the project connects to, each with its bearer or why it cannot be used. */
  forRun(projectId: string): Promise<RunServer[]>
}

type User = { id: string }

export type RunServer =
  { name: string; ok: true; url: string; bearer: string | null } | { name: string; ok: false; why: string }

export function createMcpServerService(o: {
  db: Db
  workspace: Workspace
  /** The server secret the bearers are sealed with; null: bearers cannot be stored. */
  secret: string | null
  allowedHttpHosts: readonly string[]
  log: Logger
}): McpServerService {
  const store = createServerStore(o.db)
  const box: SecretBox | null = o.secret ? createSecretBox(o.secret) : null
  const validUrl = (raw: string) => {
    const checked = checkServerUrl(raw, o.allowedHttpHosts)
    if (!checked.ok) throw new AppError(ErrorCode.BadRequest, `url: ${checked.why}`)
    return checked.url
  }
  const seal = (bearer: string, serverId: string) => {
    if (!box) {
      throw new AppError(
        ErrorCode.Unavailable,
        'Bearer tokens cannot be stored: this server has no SECRET set',
      )
    }
    return box.seal(bearer, serverId)
  }
  const writable = async (user: User, serverId: string) => {
    const row = await store.get(serverId)
    if (!row) throw new AppError(ErrorCode.NotFound, 'No such MCP server')
    await requireWriter(o.workspace, user, row.projectId, 'change the project’s MCP servers')
    return row
  }
  const nameTaken = (name: string) =>
    new AppError(ErrorCode.Conflict, `The project already has an MCP server named "${name}"`)

  return {
    async list(user, projectId) {
      await o.workspace.requireMember(user.id, projectId)
      return (await store.list(projectId)).map(info)
    },
    async add(user, input) {
      await requireWriter(o.workspace, user, input.projectId, 'change the project’s MCP servers')
      const id = randomUUID()
      const row = {
        id,
        projectId: input.projectId,
        name: input.name,
        url: validUrl(input.url),
        bearerSecret: input.bearer ? seal(input.bearer, id) : null,
        enabled: input.enabled ?? true,
      }
      const added = await store.add(row, { max: MAX_MCP_SERVERS, createdBy: user.id })
      if (added === 'full') {
        throw new AppError(ErrorCode.Conflict, `A project has at most ${MAX_MCP_SERVERS} MCP servers`)
      }
      if (added === 'name taken') throw nameTaken(input.name)
      o.log.info('project mcp server added', { projectId: input.projectId, serverId: id, by: user.id })
      return info((await store.get(id))!)
    },
    async update(user, input) {
      await writable(user, input.serverId)
      const change: ServerChange = {}
      if (input.name !== undefined) change.name = input.name
      if (input.url !== undefined) change.url = validUrl(input.url)
      if (input.enabled !== undefined) change.enabled = input.enabled
      if (input.bearer !== undefined) {
        change.bearerSecret = input.bearer === null ? null : seal(input.bearer, input.serverId)
      }
      const done = await store.update(input.serverId, change)
      if (done === 'name taken') throw nameTaken(input.name ?? '')
      if (done === 'gone') throw new AppError(ErrorCode.NotFound, 'No such MCP server')
      return info((await store.get(input.serverId))!)
    },
    async remove(user, serverId) {
      const row = await writable(user, serverId)
      await store.remove(serverId)
      o.log.info('project mcp server removed', { projectId: row.projectId, serverId, by: user.id })
      return { removed: true }
    },
    async forRun(projectId) {
      const rows = (await store.list(projectId)).filter((r) => r.enabled)
      return rows.map((r) => usable(r, box, o.allowedHttpHosts))
    },
  }
}

function usable(r: ServerRow, box: SecretBox | null, hosts: readonly string[]): RunServer {
  const checked = checkServerUrl(r.url, hosts)
  if (!checked.ok) return { name: r.name, ok: false, why: `its URL is no longer allowed: ${checked.why}` }
  if (r.bearerSecret === null) return { name: r.name, ok: true, url: checked.url, bearer: null }
  const bearer = box?.open(r.bearerSecret, r.id) ?? null
  if (bearer === null) {
    return {
      name: r.name,
      ok: false,
      why: 'its bearer token cannot be read (the server secret changed?): set it again',
    }
  }
  return { name: r.name, ok: true, url: checked.url, bearer }
}

/** What the API shows of a server: everything but the bearer. */
function info(r: ServerRow): McpServerInfo {
  return {
    id: r.id,
    projectId: r.projectId,
    name: r.name,
    url: r.url,
    hasBearer: r.hasBearer,
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }
}
