import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from '../client'
import { projects } from '../schema/projects'
import { users } from '../schema/accounts'
import { newTestDatabase } from '../testing'
import { acquireWorkspaceLease, releaseWorkspaceLease } from './workspace-leases'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

async function newProject(db: Database['db']): Promise<string> {
  const [user] = await db
    .insert(users)
    .values({ email: 'a@example.com', name: 'A', passwordHash: 'x' })
    .returning({ id: users.id })
  const [project] = await db
    .insert(projects)
    .values({ name: 'p', createdBy: user!.id })
    .returning({ id: projects.id })
  return project!.id
}

describe('workspace leases', () => {
  it('let one holder at a time own a project, until it releases or stops renewing', async () => {
    database = await newTestDatabase()
    const { db } = database
    const projectId = await newProject(db)
    const lease = (holder: string, ttlMs = 30_000) => acquireWorkspaceLease(db, { projectId, holder, ttlMs })

    expect(await lease('node-a')).toBe(true)
    expect(await lease('node-b')).toBe(false)
    expect(await lease('node-a')).toBe(true)
    await releaseWorkspaceLease(db, projectId, 'node-b')
    expect(await lease('node-b')).toBe(false)
    await releaseWorkspaceLease(db, projectId, 'node-a')
    expect(await lease('node-b')).toBe(true)

    // node-b's last renewal has run out (as when its process died): another may take over.
    expect(await lease('node-b', -1000)).toBe(true)
    expect(await lease('node-a')).toBe(true)
    expect(await lease('node-b')).toBe(false)
  })
})
