import { Component, type ErrorInfo, type ReactNode } from 'react'

/** Last line of defence: a rendering bug shows a message and a reload button, never a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null }

  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Mimiverse crashed while rendering', error, info.componentStack)
  }

  override render() {
    if (!this.state.error) return this.props.children
    return (
      <main className="auth-page">
        <div className="card auth-card" role="alert">
          <h1>Something went wrong</h1>
          <p className="muted">{this.state.error.message}</p>
          <button className="primary" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </main>
    )
  }
}
