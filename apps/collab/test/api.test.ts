import { describe, expect, it, vi } from 'vitest'
import { migrate, openDatabase } from '@mimiverse/db'
import { createLogger } from '@mimiverse/server-kit'
import { apiClient, errorCodeOf, signUp } from '../src/testing/index'
import { newServer, newWorkspace, onCleanup } from './fixtures'

describe('auth', () => {
  it('signs up, signs in, answers me, and signs out', async () => {
    const server = await newServer()
    const anon = apiClient(server.url)
    const up = await anon.auth.signUp.mutate({
      email: ' Ada@Example.com ',
      password: 'long enough pw',
      name: 'Ada',
    })
    expect(up.user).toMatchObject({ email: 'ada@example.com', name: 'Ada' })
    expect(
      await errorCodeOf(
        anon.auth.signUp.mutate({ email: 'ada@example.com', password: 'another passphrase here', name: 'X' }),
      ),
    ).toBe('CONFLICT')
    expect(
      await errorCodeOf(anon.auth.signIn.mutate({ email: 'ada@example.com', password: 'wrong password' })),
    ).toBe('UNAUTHORIZED')
    expect(
      await errorCodeOf(anon.auth.signIn.mutate({ email: 'nobody@example.com', password: 'whatever' })),
    ).toBe('UNAUTHORIZED')
    const signedIn = await anon.auth.signIn.mutate({ email: 'ADA@example.com', password: 'long enough pw' })
    const me = apiClient(server.url, signedIn.token)
    expect((await me.auth.me.query()).user?.id).toBe(up.user.id)
    expect((await anon.auth.me.query()).user).toBeNull()
    await me.auth.signOut.mutate()
    expect((await me.auth.me.query()).user).toBeNull()
    expect(await errorCodeOf(me.projects.list.query())).toBe('UNAUTHORIZED')
    expect(
      await errorCodeOf(
        anon.auth.signUp.mutate({ email: 'not-an-email', password: 'long enough pw', name: 'A' }),
      ),
    ).toBe('BAD_REQUEST')
  })

  it('sets an HttpOnly session cookie that authenticates, and refuses cross-site cookie writes', async () => {
    const server = await newServer()
    const res = await fetch(`${server.url}/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'c@example.com', password: 'long enough pw', name: 'C' }),
    })
    // Every API answer carries the id its log lines are tagged with.
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^mimi_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/)
    const session = cookie.split(';')[0]!
    const me = await fetch(`${server.url}/trpc/auth.me`, { headers: { cookie: session } })
    expect(
      ((await me.json()) as { result: { data: { user: { email: string } } } }).result.data.user.email,
    ).toBe('c@example.com')
    const csrf = await fetch(`${server.url}/trpc/projects.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session, origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'x' }),
    })
    expect(csrf.status).toBe(403)
  })

  it('rate-limits sign-in attempts', async () => {
    const server = await newServer()
    const anon = apiClient(server.url)
    const codes: string[] = []
    for (let i = 0; i < 12; i++) {
      codes.push(
        await errorCodeOf(anon.auth.signIn.mutate({ email: 'victim@example.com', password: `guess-${i}` })),
      )
    }
    expect(codes.slice(0, 10).every((c) => c === 'UNAUTHORIZED')).toBe(true)
    expect(codes.slice(10)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS'])
    await expect(anon.auth.signIn.mutate({ email: 'victim@example.com', password: 'x' })).rejects.toThrow(
      /try again in/,
    )
  })
})

describe('projects', () => {
  it('creates, lists, invites by role, and joins without ever lowering a role', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    expect(await ws.owner.api.projects.list.query()).toMatchObject([
      { id: ws.project.id, name: 'demo', role: 'owner' },
    ])
    const editor = await ws.member('editor', 'Ed')
    const reviewer = await ws.member('reviewer', 'Rev')
    expect(await editor.api.projects.list.query()).toMatchObject([{ id: ws.project.id, role: 'editor' }])
    const members = await reviewer.api.projects.members.query({ projectId: ws.project.id })
    expect(members.map((m) => [m.name, m.role]).sort()).toEqual([
      ['Ed', 'editor'],
      ['Owner', 'owner'],
      ['Rev', 'reviewer'],
    ])
    // Addresses are for the owner who manages the project, not for every reviewer or editor.
    for (const user of [reviewer, editor]) {
      const listed = await user.api.projects.members.query({ projectId: ws.project.id })
      expect(listed.every((m) => !('email' in m))).toBe(true)
    }
    const forOwner = await ws.owner.api.projects.members.query({ projectId: ws.project.id })
    expect(forOwner.map((m) => m.email).every((e) => e?.endsWith('@example.com'))).toBe(true)
    expect(
      await errorCodeOf(editor.api.projects.invite.mutate({ projectId: ws.project.id, role: 'editor' })),
    ).toBe('FORBIDDEN')
    const { code } = await ws.owner.api.projects.invite.mutate({ projectId: ws.project.id, role: 'reviewer' })
    expect(await ws.owner.api.projects.join.mutate({ code })).toEqual({
      projectId: ws.project.id,
      role: 'owner',
    })
    expect(await editor.api.projects.join.mutate({ code })).toEqual({
      projectId: ws.project.id,
      role: 'editor',
    })
    expect(await errorCodeOf(editor.api.projects.join.mutate({ code: 'x'.repeat(43) }))).toBe('NOT_FOUND')
    const outsider = await signUp(server.url, 'Out')
    expect(await errorCodeOf(outsider.api.projects.members.query({ projectId: ws.project.id }))).toBe(
      'FORBIDDEN',
    )
  })
})

describe('files', () => {
  it('creates, lists, renames (same docName), reads and deletes files, refusing clashes', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'main')
    const api = ws.owner.api
    const projectId = ws.project.id
    const util = await api.files.create.mutate({ projectId, path: 'src/util.ts', content: 'export {}\n' })
    expect(util.docName).toBe(`${projectId}/${util.id}`)
    expect(await errorCodeOf(api.files.create.mutate({ projectId, path: 'src/util.ts' }))).toBe('CONFLICT')
    expect(await errorCodeOf(api.files.create.mutate({ projectId, path: 'src' }))).toBe('CONFLICT')
    expect(await errorCodeOf(api.files.create.mutate({ projectId, path: 'src/main.ts/inner.ts' }))).toBe(
      'CONFLICT',
    )

    const renamed = await api.files.rename.mutate({ projectId, fileId: util.id, path: 'lib/util.ts' })
    expect(renamed).toEqual({ id: util.id, path: 'lib/util.ts', docName: util.docName })
    expect((await api.files.list.query({ projectId })).map((f) => f.path)).toEqual([
      'lib/util.ts',
      'src/main.ts',
    ])
    expect((await api.files.read.query({ projectId, path: 'lib/util.ts' })).content).toBe('export {}\n')
    expect(await errorCodeOf(api.files.read.query({ projectId, path: 'src/util.ts' }))).toBe('NOT_FOUND')

    const live = ws.peer(ws.owner, util.docName)
    await live.synced()
    await api.files.delete.mutate({ projectId, fileId: util.id })
    expect((await api.files.list.query({ projectId })).map((f) => f.path)).toEqual(['src/main.ts'])
    await vi.waitFor(() => expect(server.hocuspocus.documents.has(util.docName)).toBe(false))
    expect(await server.services.store.load(util.docName)).toEqual([])
    expect(await errorCodeOf(api.files.delete.mutate({ projectId, fileId: util.id }))).toBe('NOT_FOUND')
  })

  it('answers readiness failures with a status only; the reason goes to the log', async () => {
    const lines: string[] = []
    const database = await openDatabase({})
    onCleanup(() => database.close())
    await migrate(database)
    const reason = 'connect ECONNREFUSED 10.1.2.3:5432 (user mimiverse)'
    const server = await newServer({
      database: { ...database, ping: () => Promise.reject(new Error(reason)) },
      log: createLogger('warn', {}, (line) => lines.push(line)),
    })
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'not ready' })
    expect(await (await fetch(`${server.url}/healthz`)).text()).not.toContain('10.1.2.3')
    expect(lines.map((l) => JSON.parse(l) as unknown)).toContainEqual(
      expect.objectContaining({
        msg: 'readiness check failed',
        error: expect.objectContaining({ message: reason }),
      }),
    )
  })

  it('answers health, readiness and Prometheus metrics', async () => {
    const server = await newServer()
    expect(await (await fetch(`${server.url}/healthz`)).json()).toMatchObject({ status: 'ok' })
    const ready = await fetch(`${server.url}/readyz`)
    expect(ready.status).toBe(200)
    const { migrations } = (await ready.json()) as { status: string; migrations: { expected: number } }
    expect(migrations.expected).toBeGreaterThanOrEqual(1)
    expect(migrations).toEqual({ expected: migrations.expected, applied: migrations.expected })

    const ws = await newWorkspace(server, '')
    const peer = ws.peer(ws.owner)
    await peer.synced()
    peer.text.insert(0, 'abc')
    await peer.acknowledged()
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^mimi_collab_updates_total [1-9]/m)
    expect(metrics).toMatch(/^mimi_collab_connections 1$/m)
    expect(metrics).toMatch(/^mimi_collab_documents_open 1$/m)
    expect(metrics).toMatch(/^mimi_collab_wal_rows [1-9]/m)
    expect(metrics).toContain('mimi_collab_append_batch_duration_seconds_bucket')
  })
})

describe('web app', () => {
  it('is served with a strict Content-Security-Policy and may not be framed', async () => {
    const server = await newServer()
    for (const path of ['/', '/p/some-project', '/healthz']) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.status, path).toBe(200)
      const policy = res.headers.get('content-security-policy') ?? ''
      expect(policy, path).toMatch(/^default-src 'self'; script-src 'self';/)
      expect(policy, path).toContain("frame-ancestors 'none'")
      expect(policy, path).not.toContain('unsafe-eval')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin')
    }
  })
})
