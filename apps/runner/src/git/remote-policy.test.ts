import { describe, expect, it } from 'vitest'
import { checkRemote, parseRemotePolicy, redact } from './remote-policy'

const refusal = (url: string, policy: string) => {
  try {
    checkRemote(url, parseRemotePolicy(policy))
    return null
  } catch (e: unknown) {
    return (e as { code: string }).code
  }
}

describe('remote policy', () => {
  it('allows listed hosts and subdomains of a wildcard, over https', () => {
    expect(checkRemote('https://github.com/a/b.git', parseRemotePolicy('github.com'))).toEqual({
      href: 'https://github.com/a/b.git',
      origin: 'https://github.com',
      host: 'github.com',
      plainHttp: false,
    })
    expect(refusal('https://git.example.com/r', '*.example.com')).toBeNull()
    expect(refusal('https://example.com/r', '*.example.com')).toBe('FORBIDDEN')
    expect(refusal('https://evil-example.com/r', '*.example.com')).toBe('FORBIDDEN')
    expect(refusal('https://gitlab.com/r', 'github.com')).toBe('FORBIDDEN')
    expect(refusal('https://anything.io/r', '*')).toBeNull()
  })

  it('reaches loopback and private addresses only when listed literally, http only for loopback', () => {
    for (const host of ['127.0.0.1', 'localhost', '10.0.0.5', '169.254.169.254', '192.168.1.1', '[::1]']) {
      expect(refusal(`https://${host}/r`, '*')).toBe('FORBIDDEN')
    }
    expect(refusal('https://10.0.0.5/r', '10.0.0.5')).toBeNull()
    expect(refusal('http://127.0.0.1:8080/r', '127.0.0.1')).toBeNull()
    expect(checkRemote('http://127.0.0.1:8080/r', parseRemotePolicy('127.0.0.1')).origin).toBe(
      'http://127.0.0.1:8080',
    )
    expect(refusal('http://10.0.0.5/r', '10.0.0.5')).toBe('BAD_REQUEST')
    expect(refusal('http://github.com/r', 'github.com')).toBe('BAD_REQUEST')
  })

  it('refuses everything when no host is listed, and bad URLs', () => {
    expect(refusal('https://github.com/r', '')).toBe('SERVICE_UNAVAILABLE')
    for (const url of [
      'https://user:token@github.com/r',
      'https://token@github.com/r',
      'ssh://git@github.com/r',
      'git@github.com:r.git',
      'git://github.com/r',
      'file:///srv/r.git',
      'ext::sh -c id',
      './local',
      'https://github.com/r#frag',
      `https://github.com/${'x'.repeat(2048)}`,
    ]) {
      expect(refusal(url, '*')).toBe('BAD_REQUEST')
    }
  })

  it('refuses bad patterns at start-up', () => {
    expect(() => parseRemotePolicy('github.com, https://x')).toThrow(/"https:\/\/x" is no host pattern/)
    expect(parseRemotePolicy(' GitHub.com ,,*.Example.org').patterns).toEqual(['github.com', '*.example.org'])
  })

  it('redacts credentials in URLs and the secrets themselves', () => {
    expect(redact("fatal: unable to access 'https://ann:s3cr%2Ft@host/r/': 401 s3cr/t", ['s3cr/t'])).toBe(
      "fatal: unable to access 'https://***@host/r/': 401 ***",
    )
  })
})
