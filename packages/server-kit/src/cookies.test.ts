import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import {
  clientAddress,
  crossSiteCookieWrite,
  isHttps,
  readCookie,
  sessionCookie,
  sessionTokenOf,
} from './cookies'

function request(headers: IncomingMessage['headers'], method = 'GET', encrypted = false): IncomingMessage {
  return { headers, method, socket: { encrypted } } as unknown as IncomingMessage
}

describe('session cookies', () => {
  it('reads the bearer token first, then the cookie, and ignores a malformed cookie', () => {
    const cookie = 'other=1; mimi_session=a%20b'
    expect(sessionTokenOf(request({ authorization: 'Bearer  tok ', cookie }))).toBe('tok')
    expect(sessionTokenOf(request({ authorization: 'Bearer ', cookie }))).toBeNull()
    expect(sessionTokenOf(request({ cookie }))).toBe('a b')
    expect(sessionTokenOf(request({ cookie: 'mimi_session=%E0%A4%A' }))).toBeNull()
    expect(readCookie(request({}), 'mimi_session')).toBeUndefined()
  })

  it('sets an HttpOnly SameSite=Lax cookie, Secure over HTTPS (direct or behind a proxy)', () => {
    expect(sessionCookie('a b', { maxAgeSeconds: 60, secure: false })).toBe(
      'mimi_session=a%20b; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    )
    expect(sessionCookie('t', { maxAgeSeconds: 0, secure: true })).toMatch(/; Secure$/)
    expect(isHttps(request({}, 'GET', true))).toBe(true)
    expect(isHttps(request({ 'x-forwarded-proto': 'https' }))).toBe(true)
    expect(isHttps(request({}))).toBe(false)
  })

  it('refuses cookie-borne POSTs from another origin only', () => {
    const base = { cookie: 'mimi_session=t', host: 'mimi.example' }
    expect(crossSiteCookieWrite(request({ ...base, origin: 'https://evil.example' }, 'POST'))).toBe(true)
    expect(crossSiteCookieWrite(request({ ...base, origin: 'not a url' }, 'POST'))).toBe(true)
    expect(crossSiteCookieWrite(request({ ...base, origin: 'https://mimi.example' }, 'POST'))).toBe(false)
    expect(crossSiteCookieWrite(request({ ...base }, 'POST'))).toBe(false)
    expect(crossSiteCookieWrite(request({ ...base, origin: 'https://evil.example' }, 'GET'))).toBe(false)
    const bearer = { ...base, origin: 'https://evil.example', authorization: 'Bearer t' }
    expect(crossSiteCookieWrite(request(bearer, 'POST'))).toBe(false)
  })
})

describe('clientAddress', () => {
  it('takes the entry the trusted proxy appended, never one the client sent, and the peer otherwise', () => {
    const req = {
      headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' },
      socket: { remoteAddress: '10.0.0.2' },
    } as unknown as IncomingMessage
    expect(clientAddress(req, true)).toBe('203.0.113.7')
    expect(clientAddress(req, false)).toBe('10.0.0.2')
  })
})
