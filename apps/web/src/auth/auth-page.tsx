import { useState, type FormEvent } from 'react'
import { MIN_PASSWORD_LENGTH } from '@mimiverse/shared'
import { problemMessage } from '../api/errors'
import { navigate } from '../routing/use-route'
import { Link } from '../routing/link'
import { paths } from '../routing/routes'
import { Logo } from '../ui/logo'
import { useAuth } from './auth-context'
import { usePasswordCheck } from './use-password-check'

/** Sign in and sign up share one form; `mode` adds the name field. */
export function AuthPage({ mode, next }: { mode: 'sign-in' | 'sign-up'; next: string | null }) {
  const auth = useAuth()
  const [form, setForm] = useState({ name: '', email: '', password: '' })
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const signUp = mode === 'sign-up'
  const passwordCheck = usePasswordCheck(signUp)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    // The same words the server would answer with, without the round trip.
    const problem = signUp ? passwordCheck?.(form.password, [form.email, form.name]) : null
    if (problem) return setError(`password: ${problem}`)
    setBusy(true)
    setError(null)
    try {
      if (signUp) await auth.signUp(form)
      else await auth.signIn({ email: form.email, password: form.password })
      navigate(next ?? paths.projects(), { replace: true })
    } catch (err: unknown) {
      setError(problemMessage(err))
    } finally {
      setBusy(false)
    }
  }
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value }),
  })

  return (
    <main className="auth-page">
      <form
        className="card auth-card"
        onSubmit={(e) => void submit(e)}
        aria-label={signUp ? 'Sign up' : 'Sign in'}
      >
        <Logo />
        <h1>{signUp ? 'Create your account' : 'Sign in to Mimiverse'}</h1>
        {signUp && (
          <label>
            Name
            <input name="name" autoComplete="name" required {...field('name')} />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required {...field('email')} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={signUp ? 'new-password' : 'current-password'}
            aria-describedby={signUp ? 'password-hint' : undefined}
            required
            {...field('password')}
          />
        </label>
        {signUp && (
          <p id="password-hint" className="muted">
            At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong password; common
            ones are refused.
          </p>
        )}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signUp ? 'Sign up' : 'Sign in'}
        </button>
        <p className="muted">
          {signUp ? 'Already have an account? ' : 'New here? '}
          <Link href={signUp ? paths.signIn(next ?? undefined) : paths.signUp(next ?? undefined)}>
            {signUp ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </form>
    </main>
  )
}
