import { useState, type FormEvent } from 'react'
import { problemMessage } from '../api/errors'
import { Dialog } from './dialog'

export interface NameDialogProps {
  title: string
  label: string
  initial: string
  submitLabel: string
  /** Checks the value before submitting; returns a message to show, or null. */
  validate?: (value: string) => string | null
  onSubmit: (value: string) => Promise<void>
  onClose: () => void
}

/** Asks for a name or path (new file, rename…); server errors are shown in place, the dialog stays open. */
export function NameDialog({
  title,
  label,
  initial,
  submitLabel,
  validate,
  onSubmit,
  onClose,
}: NameDialogProps) {
  const [value, setValue] = useState(initial)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const problem = validate?.(value) ?? null
    if (problem) return setError(problem)
    setBusy(true)
    try {
      await onSubmit(value)
      onClose()
    } catch (err: unknown) {
      setError(problemMessage(err))
      setBusy(false)
    }
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="stack">
        <label>
          {label}
          <input autoFocus value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
