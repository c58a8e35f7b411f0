import { sql } from 'drizzle-orm'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '@mimiverse/db'
import { startFailureMessage } from './run'

let database: Database | undefined
afterEach(async () => {
  await database?.close()
  database = undefined
})

describe('startFailureMessage', () => {
  it("says the database's own reason under drizzle's failed query", async () => {
    // In memory and not migrated: only the engine's own answer matters here.
    database = await openDatabase({})
    const failed = await database.db.execute(sql`CREATE EXTENSION no_such_extension`).then(
      () => undefined,
      (e: unknown) => e,
    )
    const message = startFailureMessage(failed)
    expect(message).toMatch(/^Failed query: CREATE EXTENSION no_such_extension/)
    expect(message).toMatch(/\n {2}cause: .*extension "no_such_extension" is not available/)
  })

  it('prints a plain error as its message, and a detail and hint when the server gave them', () => {
    expect(startFailureMessage(new Error('SECRET is too short'))).toBe('SECRET is too short')
    const cause = Object.assign(new Error('permission denied to create extension "vector"'), {
      hint: 'Must be superuser to create this extension.',
    })
    expect(startFailureMessage(new Error('Failed query: CREATE EXTENSION vector', { cause }))).toBe(
      'Failed query: CREATE EXTENSION vector\n  cause: permission denied to create extension "vector"\n' +
        '  hint: Must be superuser to create this extension.',
    )
  })
})
