import { request, type IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import { sql } from 'drizzle-orm'
import { createBodyBudget, createLogger } from '@mimiverse/server-kit'
import { newServer, newWorkspace, onCleanup } from './fixtures'

interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: string
  json: { error?: { message: string; data: { code: string } } }
}

/**
 * A POST as a hostile client sends it: the given headers, then `body` streamed (chunked unless a content-length
 * is given), or no body at all. Resolves with the answer as soon as it is complete, whatever is left unsent.
 */
function post(url: string, path: string, options: { headers?: Record<string, string>; body?: Readable }) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
    })
    onCleanup(() => req.destroy())
    let answered = false
    req.on('response', (res) => {
      answered = true
      options.body?.unpipe(req).destroy()
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => {
        req.destroy()
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text,
          json: JSON.parse(text) as Answer['json'],
        })
      })
    })
    req.on('error', (e) => {
      if (!answered) reject(e)
    })
    if (options.body) options.body.pipe(req)
    else req.flushHeaders()
  })
}

/** `total` bytes of `fill`, in 64 KiB chunks, produced as the reader asks for them. */
function bytes(total: number, fill = 'x'): Readable {
  const chunk = Buffer.alloc(64 * 1024, fill)
  let sent = 0
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null)
      const n = Math.min(chunk.length, total - sent)
      sent += n
      this.push(chunk.subarray(0, n))
    },
  })
}

const MB = 1_000_000

describe('API request bodies', () => {
  it('refuses a 10 MB sign-in by its Content-Length with 413, before reading a byte of it', async () => {
    const server = await newServer()
    // The headers alone: an answer can only come from the declared length.
    const answer = await post(server.url, '/trpc/auth.signIn', {
      headers: { 'content-length': String(10 * MB) },
    })
    expect(answer.status).toBe(413)
    expect(answer.json.error?.data.code).toBe('PAYLOAD_TOO_LARGE')
    expect(answer.json.error?.message).toMatch(/larger than 65536 bytes/)
  })

  it('refuses a chunked 10 MB sign-in with 413 as it arrives, without parsing it', async () => {
    const server = await newServer()
    // Not JSON at all: had it been read whole and parsed, the answer would be a 400 parse error.
    const answer = await post(server.url, '/trpc/auth.signIn', { body: bytes(10 * MB) })
    expect(answer.status).toBe(413)
    expect(answer.json.error?.data.code).toBe('PAYLOAD_TOO_LARGE')
    // The server still answers (the connection and the node are fine).
    const me = await fetch(`${server.url}/trpc/auth.me`)
    expect(me.status).toBe(200)
  })

  it('still takes a file of several megabytes through files.create', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const content = `${'let x = 1\n'.repeat(500_000)}`
    await ws.owner.api.files.create.mutate({ projectId: ws.project.id, path: 'big.ts', content })
    expect((await ws.read('big.ts')).length).toBe(content.length)
  })

  it('refuses large bodies beyond the node budget with 503 and Retry-After, and takes them again once it is free', async () => {
    const budget = createBodyBudget(64 * 1024 * 1024)
    const server = await newServer({ bodyBudget: budget })
    const ws = await newWorkspace(server)
    const declared = { authorization: `Bearer ${ws.owner.token}`, 'content-length': String(40 * MB) }
    // A first upload of 40 MB is under way: its bytes are taken from the budget as soon as it is declared.
    const first = request(`${server.url}/trpc/files.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...declared },
    })
    first.on('error', () => {})
    first.write(Buffer.alloc(1024, ' '))
    await vi.waitFor(() => expect(budget.used).toBe(40 * MB))

    const second = await post(server.url, '/trpc/files.create', { headers: declared })
    expect(second.status).toBe(503)
    expect(second.headers['retry-after']).toBe('2')
    expect(second.json.error?.message).toMatch(/try again shortly/)

    // The first one gives up: its bytes go back, and a body as large is read and parsed again.
    first.destroy()
    await vi.waitFor(() => expect(budget.used).toBe(0))
    const json = JSON.stringify({ projectId: ws.project.id, path: 'padded.ts', content: 'ok' })
    const third = await post(server.url, '/trpc/files.create', {
      headers: declared,
      body: Readable.from([json, ' '.repeat(40 * MB - json.length)]),
    })
    expect(third.status).toBe(200)
    expect(await ws.read('padded.ts')).toBe('ok')
  })
})

describe('API batches and answers', () => {
  it('refuses a batch of more than 10 calls with a clear error, and runs none of them', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const auth = { authorization: `Bearer ${ws.owner.token}` }
    const creates = Array.from({ length: 11 }, () => 'projects.create').join(',')
    const inputs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [i, { name: `p${i}` }]))
    const refused = await post(server.url, `/trpc/${creates}?batch=1`, {
      headers: auth,
      body: Readable.from([JSON.stringify(inputs)]),
    })
    expect(refused.status).toBe(400)
    expect(refused.json.error?.message).toBe('A batch may hold at most 10 calls; this one has 11')
    expect(await ws.owner.api.projects.list.query()).toHaveLength(1)

    const reads = (n: number) => `/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1`
    expect((await fetch(`${server.url}${reads(11)}`, { headers: auth })).status).toBe(400)
    const ten = await fetch(`${server.url}${reads(10)}`, { headers: auth })
    expect(ten.status).toBe(200)
    expect(await ten.json()).toHaveLength(10)
  })

  it('bounds what one request returns: the reads of a batch past 64 MiB fail with a clear error', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    // 3.5 million backslashes: 7 MB of JSON each time the file is read (each one is escaped).
    const content = '\\'.repeat(3_500_000)
    await ws.owner.api.files.create.mutate({ projectId: ws.project.id, path: 'slashes.txt', content })
    const input = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [i, { projectId: ws.project.id, path: 'slashes.txt' }]),
    )
    const paths = Array.from({ length: 10 }, () => 'files.read').join(',')
    const res = await fetch(
      `${server.url}/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`,
      {
        headers: { authorization: `Bearer ${ws.owner.token}` },
      },
    )
    const body = await res.text()
    expect(body.length).toBeLessThan(64 * 1024 * 1024)
    const answers = JSON.parse(body) as {
      result?: { data: { content: string } }
      error?: { message: string }
    }[]
    // Nine answers of 7 MB fit in 64 MiB; the tenth does not.
    expect(answers.filter((a) => a.result?.data.content === content)).toHaveLength(9)
    expect(answers.filter((a) => a.error)).toEqual([
      {
        error: expect.objectContaining({
          message: expect.stringMatching(/larger than 64 MiB; ask for less at once/),
          data: expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }),
        }),
      },
    ])
  })

  it('logs every 5xx with the request id, from inside a procedure or outside one', async () => {
    const lines: string[] = []
    const server = await newServer({ log: createLogger('warn', {}, (line) => lines.push(line)) })
    const ws = await newWorkspace(server)
    const logged = (requestId: string) =>
      lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === requestId)

    // Inside a procedure: its table is gone.
    await server.database.db.execute(sql`alter table files rename to files_offline`)
    const inside = await fetch(
      `${server.url}/trpc/files.list?input=${encodeURIComponent(JSON.stringify({ projectId: ws.project.id }))}`,
      { headers: { authorization: `Bearer ${ws.owner.token}`, 'x-request-id': 'req-inside' } },
    )
    expect(inside.status).toBe(500)
    expect(inside.headers.get('x-request-id')).toBe('req-inside')
    expect(logged('req-inside')).toEqual([
      expect.objectContaining({ level: 'error', msg: 'API request failed', path: 'files.list', status: 500 }),
    ])
    await server.database.db.execute(sql`alter table files_offline rename to files`)

    // Outside any procedure: reading the session (creating the context) fails.
    await server.database.db.execute(sql`alter table sessions rename to sessions_offline`)
    const outside = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${ws.owner.token}`, 'x-request-id': 'req-outside' },
    })
    await server.database.db.execute(sql`alter table sessions_offline rename to sessions`)
    expect(outside.status).toBe(500)
    expect(JSON.stringify(await outside.json())).not.toMatch(/sessions/)
    expect(logged('req-outside')).toEqual([
      expect.objectContaining({ level: 'error', msg: 'API request failed', status: 500 }),
    ])
    expect(JSON.stringify(logged('req-outside'))).toMatch(/sessions/)
  })
})
