import { useEffect, useRef, type ReactNode } from 'react'

/** A modal dialog on the native <dialog> element (focus trap, Escape and backdrop for free). */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string
  onClose: () => void
  children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    // No close() on cleanup: removing the element ends the modal anyway, and close() would fire `close`
    // later, which under StrictMode's mount-unmount-mount closed the dialog that had just reopened.
    const dialog = ref.current
    if (!dialog || dialog.open) return
    dialog.showModal()
    // showModal focuses the first focusable element, the header's Close button: typing would go nowhere.
    // The first field (a path, a name) is what a person types into.
    dialog.querySelector<HTMLElement>('.dialog-body input:not([type=radio]), .dialog-body textarea')?.focus()
  }, [])
  return (
    <dialog ref={ref} className="dialog" aria-label={title} onClose={onClose} onCancel={onClose}>
      <header>
        <h2>{title}</h2>
        <button className="ghost icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  )
}
