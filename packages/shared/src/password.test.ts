import { describe, expect, it } from 'vitest'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem } from './password'
import { newPasswordSchema, signInInput, signUpInput } from './schemas'

describe('passwordProblem', () => {
  it.each([
    ['12345678', /at least 10 characters/],
    ['password', /at least 10 characters/],
    ['        ', /only white space/],
    [' \t\u00A0\u3000          ', /only white space/],
    ['aaaaaaaaaaaaaaaa', /one character repeated/],
    ['😀😀😀😀😀😀😀😀😀😀😀😀', /one character repeated/],
    ['1234567890', /most common passwords/],
    ['password123', /common password/],
    ['qwertyuiop', /common passwords/],
    ['Password2024!', /common password with small changes/],
    ['abcdefghijk', /sequence/],
    ['iloveyou12', /common password/],
    ['x'.repeat(MAX_PASSWORD_LENGTH + 1), /at most 256 characters/],
    ['ab\uD800cdefghijkl', /lone surrogate/],
  ])('refuses %j', (password, why) => {
    expect(passwordProblem(password)).toMatch(why)
  })

  it('counts code points, not UTF-16 units', () => {
    // Nine emoji are 18 UTF-16 units but nine characters.
    expect(passwordProblem('😀🎉🐙🌵🚲🧀🎻🦉🍋')).toMatch(`at least ${MIN_PASSWORD_LENGTH} characters`)
    // 256 emoji are 512 units, within the limit.
    expect(passwordProblem('🐙🌵🚲🧀🎻🦉🍋🎉'.repeat(32))).toBeNull()
  })

  it.each(['correct horse battery', 'long enough pw', 'tulip radar seventy', 'Tr0ub4dor&3x-quietly'])(
    'accepts the passphrase %j',
    (password) => {
      expect(passwordProblem(password)).toBeNull()
    },
  )

  it("refuses a password built on the account's own name or email", () => {
    expect(passwordProblem('margarethamilton1969', [])).toBeNull()
    expect(passwordProblem('margarethamilton1969', ['margaret.hamilton@example.com', 'Margaret'])).toMatch(
      /contains your name or email/,
    )
  })
})

describe('password schemas', () => {
  it('sign-up refuses a weak password with the field and the reason', () => {
    const result = signUpInput.safeParse({ email: 'a@example.com', password: 'password', name: 'A' })
    expect(result.error?.issues).toMatchObject([
      { path: ['password'], message: `must be at least ${MIN_PASSWORD_LENGTH} characters` },
    ])
    expect(newPasswordSchema.safeParse('12345678').success).toBe(false)
    expect(newPasswordSchema.safeParse('correct horse battery').success).toBe(true)
  })

  it('sign-in still takes any password an older rule accepted', () => {
    for (const password of ['12345678', 'password', '        ', 'x'.repeat(256)]) {
      expect(signInInput.safeParse({ email: 'a@example.com', password }).success).toBe(true)
    }
  })
})
