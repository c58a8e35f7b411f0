import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestIdOf } from './request-id'

const server = createServer((req, res) => res.end(requestIdOf(req, res)))
let url = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('requestIdOf', () => {
  it('keeps a sane caller id, replaces anything else with a UUID, and echoes it', async () => {
    const kept = await fetch(url, { headers: { 'x-request-id': 'abc-123' } })
    expect(await kept.text()).toBe('abc-123')
    expect(kept.headers.get('x-request-id')).toBe('abc-123')
    const replaced = await fetch(url, { headers: { 'x-request-id': 'x'.repeat(200) } })
    expect(await replaced.text()).toMatch(/^[0-9a-f-]{36}$/)
  })
})
