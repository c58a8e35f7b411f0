import { useState } from 'react'
import type { InviteRole } from '@mimiverse/shared'
import { api } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { paths } from '../routing/routes'
import { Dialog } from '../ui/dialog'

/** Owners create invite links; each link grants one role (editor or reviewer) and expires after a week. */
export function InviteDialog({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const [role, setRole] = useState<InviteRole>('editor')
  const [link, setLink] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState(false)

  const create = async () => {
    setError(null)
    setCopied(false)
    try {
      const invite = await api.projects.invite.mutate({ projectId, role })
      setLink(new URL(paths.join(invite.code), location.origin).href)
    } catch (e: unknown) {
      setError(problemMessage(e))
    }
  }
  const copy = () => {
    if (!link) return
    navigator.clipboard.writeText(link).then(
      () => setCopied(true),
      () => setError('Copy failed: select the link and copy it by hand.'),
    )
  }

  return (
    <Dialog title="Share project" onClose={onClose}>
      <fieldset className="role-choice">
        <legend>People who open the link join as</legend>
        {(['editor', 'reviewer'] as const).map((r) => (
          <label key={r}>
            <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
            {r === 'editor' ? 'Editor — can change files' : 'Reviewer — read-only, can follow others'}
          </label>
        ))}
      </fieldset>
      <button className="primary" onClick={() => void create()}>
        Create invite link
      </button>
      {link && (
        <div className="invite-link">
          <input aria-label="Invite link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
          <button onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  )
}
