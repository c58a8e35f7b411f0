import { useState } from 'react'
import { canWrite, Role, roleAtLeast } from '@mimiverse/shared'
import { Dialog } from '../ui/dialog'
import { agentSnippets, mcpUrl, type SnippetBlock } from './agent-snippets'
import { McpServersSection } from './mcp-servers-section'
import { useAccessTokens, type AccessTokenInfo } from './use-access-tokens'

const ROLES = [Role.Owner, Role.Editor, Role.Reviewer] as const
const ROLE_HINT: Record<Role, string> = {
  owner: 'Owner — edits and runs commands',
  editor: 'Editor — edits and runs commands',
  reviewer: 'Reviewer — reads and searches only',
}

/**
 * "Connect an agent": a member makes a personal access token for this project (a label and a role no higher
 * than their own), sees it once, and copies the exact command or configuration for Claude Code, Codex and
 * Gemini CLI with this server's `/mcp` URL and the token in it. Below, the project's tokens (the member's own;
 * owners see all) with their last use, each revocable. Last, the other direction: the MCP servers whose tools
 * Mimi may call.
 */
export function ConnectAgentDialog(props: { projectId: string; role: Role; onClose: () => void }) {
  const t = useAccessTokens(props.projectId)
  const allowed = ROLES.filter((r) => roleAtLeast(props.role, r))
  const [label, setLabel] = useState('')
  const [role, setRole] = useState<Role>(allowed.includes(Role.Editor) ? Role.Editor : Role.Reviewer)
  const url = mcpUrl(location.origin)
  const create = () => {
    if (label.trim()) void t.create(label.trim(), role)
  }

  return (
    <Dialog title="Connect an agent" onClose={props.onClose}>
      <p className="muted small">
        Claude Code, Codex, Gemini CLI or any MCP client joins this project as a co-editor everyone sees, with
        a token that acts for you.
      </p>
      <form
        className="token-form"
        onSubmit={(e) => {
          e.preventDefault()
          create()
        }}
      >
        <label>
          Token label
          <input
            value={label}
            maxLength={60}
            placeholder="laptop"
            onChange={(e) => setLabel(e.target.value)}
          />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {allowed.map((r) => (
              <option key={r} value={r}>
                {ROLE_HINT[r]}
              </option>
            ))}
          </select>
        </label>
        <button className="primary" type="submit" disabled={!label.trim()}>
          Create token
        </button>
      </form>
      {t.created && (
        <div className="token-created" role="status">
          <p>
            Token <strong>{t.created.info.label}</strong> — copy it now, it is not shown again:
          </p>
          <CopyField label="New token" text={t.created.token} />
        </div>
      )}
      <Snippets url={url} token={t.created?.token ?? null} />
      {t.error && (
        <p className="form-error" role="alert">
          {t.error}
        </p>
      )}
      <TokenList tokens={t.tokens} onRevoke={(id) => void t.revoke(id)} />
      <McpServersSection projectId={props.projectId} canEdit={canWrite(props.role)} />
    </Dialog>
  )
}

function Snippets({ url, token }: { url: string; token: string | null }) {
  return (
    <section className="agent-snippets" aria-label="Client setup">
      {agentSnippets(url, token).map((s) => (
        <div key={s.client} className="agent-snippet">
          <h3>{s.client}</h3>
          {s.blocks.map((b) => (
            <Block key={b.where} client={s.client} block={b} />
          ))}
        </div>
      ))}
    </section>
  )
}

function Block({ client, block }: { client: string; block: SnippetBlock }) {
  return (
    <div>
      <p className="muted small">{block.where}</p>
      <CopyField
        label={`${client}: ${block.where}`}
        text={block.text}
        multiline={block.text.includes('\n')}
      />
    </div>
  )
}

/** Read-only text with a Copy button (selecting by hand still works when the clipboard is refused). */
function CopyField({ label, text, multiline }: { label: string; text: string; multiline?: boolean }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null)
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    )
  return (
    <div className="copy-field">
      {multiline ? (
        <textarea aria-label={label} readOnly value={text} rows={text.split('\n').length} />
      ) : (
        <input aria-label={label} readOnly value={text} onFocus={(e) => e.currentTarget.select()} />
      )}
      <button type="button" onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
      </button>
    </div>
  )
}

function TokenList(props: { tokens: AccessTokenInfo[] | null; onRevoke: (id: string) => void }) {
  const live = props.tokens?.filter((t) => !t.revokedAt) ?? null
  return (
    <section aria-label="Tokens">
      <h3>Tokens</h3>
      {live === null && <p className="muted small">Loading…</p>}
      {live?.length === 0 && <p className="muted small">No tokens yet.</p>}
      <ul className="token-list">
        {live?.map((t) => (
          <li key={t.id} data-token={t.label}>
            <span className="token-label">{t.label}</span>
            <span className="muted small">
              {t.role} · created {when(t.createdAt)} ·{' '}
              {t.lastUsedAt ? `last used ${when(t.lastUsedAt)}` : 'never used'}
            </span>
            <button className="small" onClick={() => props.onRevoke(t.id)} aria-label={`Revoke ${t.label}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}

function when(iso: string): string {
  return new Date(iso).toLocaleString()
}
