import './zod-config'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './editor/monaco-setup'
import { App } from './app'
import { AuthProvider } from './auth/auth-context'
import { ErrorBoundary } from './ui/error-boundary'
import './ui/styles/index.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <AuthProvider>
        <App />
      </AuthProvider>
    </ErrorBoundary>
  </StrictMode>,
)
