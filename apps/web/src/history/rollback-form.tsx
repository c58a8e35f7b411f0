import { useState } from 'react'
import { ConfirmDialog } from '../ui/confirm-dialog'
import { rollbackAuthors } from './history-model'
import type { FileHistory, Rollback } from './use-history'

/** A `datetime-local` value (the user's local time) as a Date, or undefined when empty. */
const localTime = (value: string): Date | undefined => (value ? new Date(value) : undefined)

/**
 * "Undo everything <author> wrote": the authors whose text is in the file (from its blame), optionally only
 * what they wrote between two times; asks before running the rollback.
 */
export function RollbackForm({ history }: { history: FileHistory }) {
  const authors = rollbackAuthors(history.blame)
  const [key, setKey] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [pending, setPending] = useState<{ label: string; rollback: Rollback } | null>(null)
  const chosen = authors.find((a) => a.key === key) ?? authors[0]
  if (!chosen) return null
  const ask = () =>
    setPending({
      label: chosen.label,
      rollback: { author: chosen.author, from: localTime(from), to: localTime(to) },
    })
  return (
    <details className="history-rollback">
      <summary>Undo an author’s edits…</summary>
      <label>
        Author
        <select aria-label="Author" value={chosen.key} onChange={(e) => setKey(e.target.value)}>
          {authors.map((a) => (
            <option key={a.key} value={a.key}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        From (optional)
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To (optional)
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button onClick={ask}>Undo everything {chosen.label} wrote</button>
      {pending && (
        <ConfirmDialog
          title="Undo an author’s edits"
          message={`Remove what ${pending.label} wrote${from || to ? ' in that time range' : ''} from this file, for everyone? The current state is kept as a version, so this can be undone by restoring it.`}
          confirmLabel="Undo their edits"
          onConfirm={() => history.rollback(pending.rollback)}
          onClose={() => setPending(null)}
        />
      )}
    </details>
  )
}
