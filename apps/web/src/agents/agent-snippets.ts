/**
 * How to connect each supported coding agent to this server's `/mcp` (formats checked against the clients' docs
 * in late 2026): Claude Code's `claude mcp add --transport http`, Codex's `~/.codex/config.toml` (streamable
 * HTTP `url`, the token read from an environment variable: Codex refuses an inline bearer token there), Gemini
 * CLI's `~/.gemini/settings.json` (`httpUrl` and `headers`). Pure, so the dialog and its tests share it.
 */

/** The name the server gets in each client's configuration (its tools show as `mimiverse__…`). */
export const SERVER_NAME = 'mimiverse'
/** The environment variable Codex reads the token from. */
export const CODEX_TOKEN_VAR = 'MIMIVERSE_TOKEN'
/** Shown in the snippets until a token is created (the secret is shown once, then only its label). */
export const TOKEN_PLACEHOLDER = '<TOKEN>'

export interface SnippetBlock {
  /** Where it goes: "Run in a terminal", "~/.codex/config.toml", … */
  where: string
  text: string
}

export interface ClientSnippet {
  client: 'Claude Code' | 'Codex' | 'Gemini CLI'
  blocks: SnippetBlock[]
}

/** The `/mcp` endpoint on the origin the IDE was loaded from (the server serves both). */
export function mcpUrl(origin: string): string {
  return new URL('/mcp', origin).href
}

export function agentSnippets(url: string, token: string | null): ClientSnippet[] {
  const secret = token ?? TOKEN_PLACEHOLDER
  const gemini = {
    mcpServers: { [SERVER_NAME]: { httpUrl: url, headers: { Authorization: `Bearer ${secret}` } } },
  }
  return [
    {
      client: 'Claude Code',
      blocks: [
        {
          where: 'Run in a terminal',
          text: `claude mcp add --transport http ${SERVER_NAME} ${url} --header "Authorization: Bearer ${secret}"`,
        },
      ],
    },
    {
      client: 'Codex',
      blocks: [
        { where: 'In the shell that starts Codex', text: `export ${CODEX_TOKEN_VAR}="${secret}"` },
        {
          where: '~/.codex/config.toml',
          text: `[mcp_servers.${SERVER_NAME}]\nurl = "${url}"\nbearer_token_env_var = "${CODEX_TOKEN_VAR}"`,
        },
      ],
    },
    {
      client: 'Gemini CLI',
      blocks: [{ where: '~/.gemini/settings.json', text: JSON.stringify(gemini, null, 2) }],
    },
  ]
}
