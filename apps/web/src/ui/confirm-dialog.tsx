import { useState } from 'react'
import { problemMessage } from '../api/errors'
import { Dialog } from './dialog'

/** Asks before something that cannot be undone (deleting files). */
export function ConfirmDialog(props: {
  title: string
  message: string
  confirmLabel: string
  onConfirm: () => Promise<void>
  onClose: () => void
}) {
  const [error, setError] = useState<string | null>(null)
  const confirm = () => {
    props.onConfirm().then(props.onClose, (e: unknown) => setError(problemMessage(e)))
  }
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.message}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button onClick={props.onClose}>Cancel</button>
        <button className="danger" onClick={confirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  )
}
