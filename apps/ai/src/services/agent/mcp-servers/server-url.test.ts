import { describe, expect, it } from 'vitest'
import { checkServerUrl } from './server-url'

describe('MCP server URLs', () => {
  it('takes https, and plain http only for listed hosts', () => {
    expect(checkServerUrl('https://mcp.example.com/mcp', [])).toEqual({
      ok: true,
      url: 'https://mcp.example.com/mcp',
    })
    expect(checkServerUrl('http://mcp.example.com/mcp', [])).toMatchObject({ ok: false })
    expect(checkServerUrl('http://mcp.internal:8080/mcp', ['mcp.internal'])).toMatchObject({ ok: true })
    expect(checkServerUrl('ftp://mcp.example.com/', ['mcp.example.com'])).toMatchObject({ ok: false })
    expect(checkServerUrl('not a url', [])).toMatchObject({ ok: false })
  })

  it('refuses this machine unless listed, whatever the scheme', () => {
    for (const url of [
      'https://localhost/mcp',
      'https://127.0.0.1:3000/mcp',
      'https://127.1.2.3/',
      'https://[::1]/mcp',
      'https://0.0.0.0/',
      'https://[::ffff:127.0.0.1]/',
      'https://api.localhost/',
    ]) {
      expect(checkServerUrl(url, []), url).toMatchObject({ ok: false })
    }
    expect(checkServerUrl('http://127.0.0.1:4000/mcp', ['127.0.0.1'])).toMatchObject({ ok: true })
    expect(checkServerUrl('https://[::1]/mcp', ['::1'])).toMatchObject({ ok: true })
  })

  it('refuses credentials in the URL', () => {
    expect(checkServerUrl('https://u:p@mcp.example.com/', [])).toMatchObject({ ok: false })
  })
})
