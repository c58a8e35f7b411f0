import { describe, expect, it } from 'vitest'
import { sql } from 'drizzle-orm'
import { newTestDatabase } from '@mimiverse/db/testing'
import { createLogger } from '@mimiverse/server-kit'
import { newAi, newUser, onCleanup } from './fixtures'

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

describe('the AI API over HTTP', () => {
  it('gives a small body limit to every call but those that carry a conversation or file context', async () => {
    const ai = await newAi()
    const big = JSON.stringify({ docName: 'x', kind: 'shown', latencyMs: 1, model: 'm'.repeat(100_000) })
    const refused = await post(`${ai.url}/ai/trpc/ai.completionEvent`, big)
    expect(refused.status).toBe(413)
    expect(await refused.json()).toMatchObject({ error: { data: { code: 'PAYLOAD_TOO_LARGE' } } })
    // A conversation of the same size is read (and then refused for want of a session, not for its size).
    const conversation = JSON.stringify({
      projectId: 'p',
      messages: [{ role: 'user', content: 'q'.repeat(100_000) }],
    })
    expect((await post(`${ai.url}/ai/trpc/ai.chat`, conversation)).status).toBe(401)
  })

  it('refuses a batch of more than 10 calls', async () => {
    const ai = await newAi()
    const user = await newUser(ai.database)
    const paths = Array.from({ length: 11 }, () => 'ai.models').join(',')
    const res = await fetch(`${ai.url}/ai/trpc/${paths}?batch=1`, {
      headers: { authorization: `Bearer ${user.token}` },
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({
      error: { message: 'A batch may hold at most 10 calls; this one has 11' },
    })
  })

  it('logs every 5xx with the request id, also when the session cannot be read', async () => {
    const lines: string[] = []
    const ai = await newAi({ log: createLogger('warn', {}, (line) => lines.push(line)) })
    const user = await newUser(ai.database)
    await ai.database.db.execute(sql`alter table sessions rename to sessions_offline`)
    const res = await fetch(`${ai.url}/ai/trpc/ai.models`, {
      headers: { authorization: `Bearer ${user.token}`, 'x-request-id': 'ai-req-1' },
    })
    await ai.database.db.execute(sql`alter table sessions_offline rename to sessions`)
    expect(res.status).toBe(500)
    expect(res.headers.get('x-request-id')).toBe('ai-req-1')
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.requestId === 'ai-req-1')
    expect(logged).toEqual([
      expect.objectContaining({ level: 'error', msg: 'API request failed', status: 500 }),
    ])
  })

  it('answers readyz with a status only when the database is down; the reason goes to the log', async () => {
    const lines: string[] = []
    const database = await newTestDatabase()
    onCleanup(() => database.close())
    const reason = 'connect ECONNREFUSED 10.1.2.3:5432 (user mimiverse)'
    const ai = await newAi({
      database: { ...database, ping: () => Promise.reject(new Error(reason)) },
      log: createLogger('warn', {}, (line) => lines.push(line)),
    })
    const ready = await fetch(`${ai.url}/ai/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({ status: 'database unreachable' })
    expect(lines.join('\n')).toContain(reason)
  })
})
