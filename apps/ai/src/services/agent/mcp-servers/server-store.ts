import { and, asc, count, eq, ne, sql } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { projectMcpServers, projects } from '@mimiverse/db/schema'
import type { McpServerInfo } from '../../../contracts/mcp-servers'

/**
 * The `project_mcp_servers` table. Adds and renames of one project are serialized (its project row is locked), so
 * the count bound and the unique names hold under concurrent requests. `bearerSecret` is the sealed value
 * (`SecretBox`); it leaves this module only to the run that sends it.
 */
export interface ServerRow extends McpServerInfo {
  bearerSecret: string | null
}

export type ServerChange = Partial<Pick<ServerRow, 'name' | 'url' | 'bearerSecret' | 'enabled'>>

export interface ServerStore {
  list(projectId: string): Promise<ServerRow[]>
  get(serverId: string): Promise<ServerRow | null>
  /** Adds the server unless the project has `max` already or the name is taken: then says which. */
  add(
    row: Omit<ServerRow, 'createdAt' | 'updatedAt' | 'hasBearer'>,
    o: { max: number; createdBy: string },
  ): Promise<'added' | 'full' | 'name taken'>
  update(serverId: string, change: ServerChange): Promise<'updated' | 'name taken' | 'gone'>
  remove(serverId: string): Promise<boolean>
}

const columns = {
  id: projectMcpServers.id,
  projectId: projectMcpServers.projectId,
  name: projectMcpServers.name,
  url: projectMcpServers.url,
  bearerSecret: projectMcpServers.bearerSecret,
  enabled: projectMcpServers.enabled,
  createdAt: projectMcpServers.createdAt,
  updatedAt: projectMcpServers.updatedAt,
}

interface Row {
  id: string
  projectId: string
  name: string
  url: string
  bearerSecret: string | null
  enabled: boolean
  createdAt: Date
  updatedAt: Date
}

function toServer(r: Row): ServerRow {
  return {
    ...r,
    hasBearer: r.bearerSecret !== null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }
}

export function createServerStore(db: Db): ServerStore {
  const nameTaken = async (tx: Pick<Db, 'select'>, projectId: string, name: string, except?: string) => {
    const [row] = await tx
      .select({ n: count() })
      .from(projectMcpServers)
      .where(
        and(
          eq(projectMcpServers.projectId, projectId),
          eq(projectMcpServers.name, name),
          except ? ne(projectMcpServers.id, except) : undefined,
        ),
      )
    return (row?.n ?? 0) > 0
  }
  const lockProject = (tx: Pick<Db, 'execute'>, projectId: string) =>
    tx.execute(sql`select 1 from ${projects} where ${projects.id} = ${projectId} for update`)

  return {
    async list(projectId) {
      const rows = await db
        .select(columns)
        .from(projectMcpServers)
        .where(eq(projectMcpServers.projectId, projectId))
        .orderBy(asc(projectMcpServers.name))
      return rows.map(toServer)
    },
    async get(serverId) {
      const [row] = await db.select(columns).from(projectMcpServers).where(eq(projectMcpServers.id, serverId))
      return row ? toServer(row) : null
    },
    add(row, o) {
      return db.transaction(async (tx) => {
        await lockProject(tx, row.projectId)
        const [n] = await tx
          .select({ n: count() })
          .from(projectMcpServers)
          .where(eq(projectMcpServers.projectId, row.projectId))
        if ((n?.n ?? 0) >= o.max) return 'full'
        if (await nameTaken(tx, row.projectId, row.name)) return 'name taken'
        await tx.insert(projectMcpServers).values({ ...row, createdBy: o.createdBy })
        return 'added'
      })
    },
    update(serverId, change) {
      return db.transaction(async (tx) => {
        const [current] = await tx
          .select({ projectId: projectMcpServers.projectId })
          .from(projectMcpServers)
          .where(eq(projectMcpServers.id, serverId))
        if (!current) return 'gone'
        await lockProject(tx, current.projectId)
        if (change.name && (await nameTaken(tx, current.projectId, change.name, serverId)))
          return 'name taken'
        const done = await tx
          .update(projectMcpServers)
          .set({ ...change, updatedAt: new Date() })
          .where(eq(projectMcpServers.id, serverId))
          .returning({ id: projectMcpServers.id })
        return done.length > 0 ? 'updated' : 'gone'
      })
    },
    async remove(serverId) {
      const done = await db
        .delete(projectMcpServers)
        .where(eq(projectMcpServers.id, serverId))
        .returning({ id: projectMcpServers.id })
      return done.length > 0
    },
  }
}
