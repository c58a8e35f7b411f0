import { randomBytes } from 'node:crypto'
import { createTRPCClient } from '@trpc/client'
import * as Y from 'yjs'
import { hashToken, type Database } from '@mimiverse/db'
import { documentSnapshots, files, memberships, projects, sessions, users } from '@mimiverse/db/schema'
import { CONTENT_FIELD, docNameFor, type Role } from '@mimiverse/shared'
import { aiLinks } from '@mimiverse/shared/ai-links'
import type { AppRouter } from '../src/router'

/**
 * Data and clients for tests and benchmarks (no test-runner imports, so `bench/` can use it too). The client
 * has the web app's links (`aiLinks`), with the session as a bearer token instead of the browser's cookie.
 */
export function aiClient(url: string, token?: string) {
  const headers = (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {})
  return createTRPCClient<AppRouter>({ links: aiLinks<AppRouter>({ url: `${url}/ai/trpc`, headers }) })
}

/** A user with a live session; `token` authenticates as them. */
export async function newUser(database: Database, name = 'Ada') {
  const [user] = await database.db
    .insert(users)
    .values({
      email: `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@example.com`,
      name,
      passwordHash: 'x',
    })
    .returning({ id: users.id })
  const token = randomBytes(24).toString('base64url')
  await database.db
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId: user!.id, expiresAt: new Date(Date.now() + 3_600_000) })
  return { id: user!.id, name, token }
}

/** A project owned by `ownerId`, with files of the given paths and texts stored as Yjs snapshots. */
export async function newProject(database: Database, ownerId: string, texts: Record<string, string> = {}) {
  const [project] = await database.db
    .insert(projects)
    .values({ name: 'demo', createdBy: ownerId })
    .returning({ id: projects.id })
  const projectId = project!.id
  await database.db.insert(memberships).values({ projectId, userId: ownerId, role: 'owner' })
  const docs: Record<string, string> = {}
  for (const [path, text] of Object.entries(texts)) {
    const [file] = await database.db.insert(files).values({ projectId, path }).returning({ id: files.id })
    const docName = docNameFor(projectId, file!.id)
    const doc = new Y.Doc()
    doc.getText(CONTENT_FIELD).insert(0, text)
    await database.db.insert(documentSnapshots).values({ docName, state: Y.encodeStateAsUpdate(doc) })
    doc.destroy()
    docs[path] = docName
  }
  const addMember = (userId: string, role: Role) =>
    database.db.insert(memberships).values({ projectId, userId, role })
  return { projectId, docs, addMember }
}
