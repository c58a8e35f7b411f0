import { useState } from 'react'
import { AGENT_NAME } from '@mimiverse/shared'
import { useMcpServers } from './use-mcp-servers'

/**
 * The project's MCP servers in the "Connect an agent" dialog: the other direction, tools that Mimi may call in
 * its task runs (each call asked in the chat like a command). Every member sees the list; owners and editors add
 * a server (name, streamable HTTP URL, optional bearer token) and remove one.
 */
export function McpServersSection(props: { projectId: string; canEdit: boolean }) {
  const s = useMcpServers(props.projectId)
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [bearer, setBearer] = useState('')
  const add = async () => {
    if (await s.add({ name: name.trim(), url: url.trim(), bearer: bearer.trim() })) {
      setName('')
      setUrl('')
      setBearer('')
    }
  }

  return (
    <section aria-label="MCP servers for Mimi">
      <h3>Tools for {AGENT_NAME} (MCP servers)</h3>
      <p className="muted small">
        {AGENT_NAME} may call the tools of these servers in its tasks; an editor approves each call in the
        chat unless the project allows commands.
      </p>
      {s.servers === null && <p className="muted small">Loading…</p>}
      {s.servers?.length === 0 && <p className="muted small">No MCP servers yet.</p>}
      <ul className="token-list">
        {s.servers?.map((server) => (
          <li key={server.id} data-mcp-server={server.name}>
            <span className="token-label">{server.name}</span>
            <span className="muted small">
              {server.url}
              {server.hasBearer ? ' · bearer token set' : ''}
              {server.enabled ? '' : ' · off'}
            </span>
            {props.canEdit && (
              <button
                className="small"
                onClick={() => void s.remove(server.id)}
                aria-label={`Remove ${server.name}`}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {props.canEdit && (
        <form
          className="token-form"
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim() && url.trim()) void add()
          }}
        >
          <label>
            Server name
            <input
              value={name}
              maxLength={32}
              placeholder="issues"
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            Server URL
            <input
              value={url}
              maxLength={2048}
              placeholder="https://mcp.example.com/mcp"
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
          <label>
            Bearer token (optional)
            <input
              type="password"
              value={bearer}
              maxLength={4096}
              autoComplete="off"
              onChange={(e) => setBearer(e.target.value)}
            />
          </label>
          <button type="submit" disabled={!name.trim() || !url.trim()}>
            Add server
          </button>
        </form>
      )}
      {s.error && (
        <p className="form-error" role="alert">
          {s.error}
        </p>
      )}
    </section>
  )
}
