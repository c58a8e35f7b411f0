import { describe, expect, it } from 'vitest'
import { agentSnippets, mcpUrl, TOKEN_PLACEHOLDER } from './agent-snippets'

describe('agentSnippets', () => {
  const url = mcpUrl('https://mimi.example.com')
  const token = 'mimi_pat_abc-DEF_123'

  it('gives each client its exact command or configuration with the URL and the token', () => {
    const [claude, codex, gemini] = agentSnippets(url, token)
    expect(url).toBe('https://mimi.example.com/mcp')
    expect(claude!.blocks[0]!.text).toBe(
      `claude mcp add --transport http mimiverse https://mimi.example.com/mcp --header "Authorization: Bearer ${token}"`,
    )
    expect(codex!.blocks.map((b) => b.text)).toEqual([
      `export MIMIVERSE_TOKEN="${token}"`,
      '[mcp_servers.mimiverse]\nurl = "https://mimi.example.com/mcp"\nbearer_token_env_var = "MIMIVERSE_TOKEN"',
    ])
    expect(JSON.parse(gemini!.blocks[0]!.text)).toEqual({
      mcpServers: { mimiverse: { httpUrl: url, headers: { Authorization: `Bearer ${token}` } } },
    })
  })

  it('shows a placeholder until a token is created', () => {
    const all = agentSnippets(url, null).flatMap((s) => s.blocks.map((b) => b.text))
    expect(all.filter((t) => t.includes(TOKEN_PLACEHOLDER))).toHaveLength(3)
  })
})
