import { useEffect, useState } from 'react'

/** `passwordProblem` of `@mimiverse/shared/password`: why a new password would be refused, or null. */
export type PasswordCheck = (password: string, userInputs: readonly string[]) => string | null

/**
 * The server's rule for new passwords, to explain a refusal before submitting. It carries a list of common
 * passwords (~400 kB), so it is loaded only where a password is chosen, after the form shows; until it has
 * loaded (or if it fails to) this is null and the server's answer says the same thing.
 */
export function usePasswordCheck(enabled: boolean): PasswordCheck | null {
  const [check, setCheck] = useState<PasswordCheck | null>(null)
  useEffect(() => {
    if (!enabled) return
    let live = true
    import('@mimiverse/shared/password')
      .then((m) => live && setCheck(() => m.passwordProblem))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [enabled])
  return check
}
