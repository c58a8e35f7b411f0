import { describe, expect, it, vi } from 'vitest'
import { newServer, newWorkspace } from './fixtures'

describe('editing together', () => {
  it('syncs edits between two editors and stores them before acknowledging', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'hello')
    const bob = await ws.member('editor', 'Bob')
    const a = ws.peer(ws.owner)
    const b = ws.peer(bob)
    await Promise.all([a.synced(), b.synced()])
    expect(a.text.toString()).toBe('hello')
    a.text.insert(5, ' world')
    await vi.waitFor(() => expect(b.text.toString()).toBe('hello world'))
    await a.acknowledged()
    // Acknowledged means logged: the database already holds it, before any debounced store.
    expect(await server.services.store.readText(ws.file.docName)).toBe('hello world')
    expect(await ws.read()).toBe('hello world')
  })
})
