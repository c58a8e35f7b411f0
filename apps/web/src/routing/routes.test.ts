import { describe, expect, it } from 'vitest'
import { parseRoute, paths, safeNext } from './routes'

describe('parseRoute', () => {
  const projectId = '0b7c4a7e-6a56-4c1b-9f57-0c8c1d1f2a3b'

  it('parses every page', () => {
    expect(parseRoute('/')).toEqual({ page: 'projects' })
    expect(parseRoute(paths.project(projectId))).toEqual({ page: 'project', projectId })
    expect(parseRoute('/join/abc%20def')).toEqual({ page: 'join', code: 'abc def' })
    expect(parseRoute('/sign-in', '?next=%2Fjoin%2Fx')).toEqual({ page: 'sign-in', next: '/join/x' })
    expect(parseRoute('/p/not-a-uuid')).toEqual({ page: 'not-found' })
  })

  it('round-trips the sign-in return path', () => {
    const url = new URL(paths.signIn('/join/code'), 'http://x')
    expect(parseRoute(url.pathname, url.search)).toEqual({ page: 'sign-in', next: '/join/code' })
  })
})

describe('safeNext', () => {
  it.each(['//evil.example', 'https://evil.example', '/\\evil', 'relative'])('refuses %s', (next) => {
    expect(safeNext(next)).toBeNull()
  })
})
