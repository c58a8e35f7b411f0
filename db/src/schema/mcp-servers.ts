import { boolean, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core'
import { users } from './accounts'
import { projects } from './projects'

/**
 * MCP servers a project's owners and editors gave the agent: their tools are offered to the model in every task
 * run of the project, with the same approval rules as commands. `url` is a streamable HTTP endpoint;
 * `bearerSecret` the optional `Authorization: Bearer` value, encrypted with the server secret (AES-256-GCM), never
 * returned by the API.
 */
export const projectMcpServers = pgTable(
  'project_mcp_servers',
  {
    id: uuid('id').primaryKey(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    url: text('url').notNull(),
    bearerSecret: text('bearer_secret'),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('project_mcp_servers_name_key').on(t.projectId, t.name)],
)
