import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-length'
import { codePointLength, loneSurrogate } from './unicode'

/**
 * The rule a new password must meet (sign-up, and any future password change; signing in accepts any stored
 * password). It follows NIST SP 800-63B: a minimum length, a maximum only to bound the work, no composition
 * rules, and a refusal of guessable passwords: zxcvbn-ts with its bundled list of ~50,000 common passwords
 * and keyboard patterns (no network look-up), plus the user's own name and email. The same function runs in
 * the sign-up form and on the server, so both say the same thing.
 *
 * This module carries that list (~400 kB): browser code should load it lazily (`import('…/password')`); the
 * length bounds live apart (`password-length.ts`) so a form can show them without it.
 */

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH }

/**
 * Lowest zxcvbn score (0–4) accepted. 3 means an estimated 10^8 guesses or more: out of reach of online guessing
 * (sign-in is rate limited) and slow to crack from a leaked argon2id hash.
 */
export const MIN_PASSWORD_SCORE = 3

/** What zxcvbn's warning keys mean, for the message; anything else gets a general reason. */
const REASONS: Readonly<Record<string, string>> = {
  topTen: 'it is one of the most common passwords',
  topHundred: 'it is one of the most common passwords',
  common: 'it is a common password',
  similarToCommon: 'it is a common password with small changes',
  straightRow: 'it is a row of keys on the keyboard',
  keyPattern: 'it is a keyboard pattern',
  simpleRepeat: 'it repeats characters',
  extendedRepeat: 'it repeats a short pattern',
  sequences: 'it is a simple sequence such as "abc" or "123"',
  recentYears: 'it is mostly a recent year',
  dates: 'it is mostly a date',
  userInputs: 'it contains your name or email',
}

let factory: ZxcvbnFactory | undefined
/** Built on first use: unpacking the lists takes tens of milliseconds, which importing should not cost. */
const estimator = () => (factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs }))

/**
 * What a password may not be built on: each input whole, an email's name part, and both with and without the
 * separators between their words (`ada.lovelace@example.com` gives `ada.lovelace`, `adalovelace`, `ada`, …).
 */
function userInputWords(userInputs: readonly string[]): string[] {
  const words = userInputs.flatMap((input) => {
    const lower = input.toLowerCase()
    const local = lower.split('@')[0] ?? lower
    const parts = local.split(/[\s.+_-]+/u)
    return [lower, local, parts.join(''), ...parts]
  })
  // Short pieces (initials, "com") would only make ordinary passwords look weaker.
  return [...new Set(words)].filter((word) => word.length >= 3)
}

/**
 * Why `password` is not acceptable as a new password, or `null` when it is: a phrase to follow "password: "
 * (as the API reports it), e.g. `must be at least 10 characters`. `userInputs` are words the password must not
 * lean on (the account's email and name).
 */
export function passwordProblem(password: string, userInputs: readonly string[] = []): string | null {
  // Bounded before any per-character work: a code point is at most two UTF-16 units.
  if (password.length > 2 * MAX_PASSWORD_LENGTH || codePointLength(password) > MAX_PASSWORD_LENGTH) {
    return `must be at most ${MAX_PASSWORD_LENGTH} characters`
  }
  if (loneSurrogate(password) !== null) return 'contains an invalid character (a lone surrogate)'
  if (password.trim() === '') return 'cannot be only white space'
  if (new Set(password).size === 1) return 'cannot be one character repeated'
  if (codePointLength(password) < MIN_PASSWORD_LENGTH) {
    return `must be at least ${MIN_PASSWORD_LENGTH} characters`
  }
  const { score, feedback } = estimator().check(password, userInputWords(userInputs))
  if (score >= MIN_PASSWORD_SCORE) return null
  const reason = (feedback.warning && REASONS[feedback.warning]) ?? 'it follows a predictable pattern'
  return `is too easy to guess: ${reason}. A few unrelated words make a strong one`
}
