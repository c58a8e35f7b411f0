import { describe, expect, it } from 'vitest'
import { apiClient, errorCodeOf } from '../src/testing/index'
import { newServer, newWorkspace } from './fixtures'

/** The message a call failed with (the server's, as a user sees it). */
async function messageOf(call: Promise<unknown>): Promise<string> {
  try {
    await call
  } catch (e: unknown) {
    return e instanceof Error ? e.message : String(e)
  }
  throw new Error('expected the call to fail')
}

describe('new passwords', () => {
  it('refuses weak passwords at sign-up with a clear reason, and signs up with a passphrase', async () => {
    const server = await newServer()
    const anon = apiClient(server.url)
    const signUp = (password: string) =>
      anon.auth.signUp.mutate({ email: 'ada@example.com', password, name: 'Ada Lovelace' })
    for (const password of ['12345678', 'password', '        ']) {
      expect(await errorCodeOf(signUp(password)), JSON.stringify(password)).toBe('BAD_REQUEST')
    }
    expect(await messageOf(signUp('password'))).toBe('password: must be at least 10 characters')
    expect(await messageOf(signUp('          '))).toBe('password: cannot be only white space')
    expect(await messageOf(signUp('password123'))).toMatch(/^password: is too easy to guess: /)
    expect(await messageOf(signUp('adalovelace'))).toMatch(/contains your name or email/)
    // Nothing was stored by the refusals: the address is still free.
    const { user } = await signUp('tulip radar seventy')
    expect(user.email).toBe('ada@example.com')
    expect(
      (await anon.auth.signIn.mutate({ email: 'ada@example.com', password: 'tulip radar seventy' })).user.id,
    ).toBe(user.id)
  })
})

describe('file paths', () => {
  it('refuses invisible and direction-changing characters and lone surrogates, naming them', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const create = (path: string) => ws.owner.api.files.create.mutate({ projectId: ws.project.id, path })
    expect(await messageOf(create('a\u202Eb.ts'))).toBe(
      'path: Invalid file path: path contains U+202E, an invisible direction-changing (bidi) control character',
    )
    expect(await messageOf(create('a\u200Bb.ts'))).toMatch(/U\+200B, an invisible zero-width character/)
    expect(await messageOf(create('a\u0085b.ts'))).toMatch(/U\+0085, a line or paragraph separator/)
    // Would be stored as "a\uFFFDb.ts" by the database driver if it got that far.
    expect(await messageOf(create('a\uD800b.ts'))).toMatch(
      /not well-formed Unicode \(lone surrogate U\+D800\)/,
    )
    expect(await messageOf(create('é'.repeat(128)))).toMatch(/segment is longer than 255 bytes/)
    const paths = (await ws.owner.api.files.list.query({ projectId: ws.project.id })).map((f) => f.path)
    expect(paths).toEqual(['src/main.ts'])
  })

  it('stores a decomposed (NFD) name composed (NFC), and finds it by either spelling', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const projectId = ws.project.id
    const created = await ws.owner.api.files.create.mutate({
      projectId,
      path: 'docs/u\u0308ber.md',
      content: 'x',
    })
    expect(created.path).toBe('docs/\u00FCber.md')
    const paths = (await ws.owner.api.files.list.query({ projectId })).map((f) => f.path)
    expect(paths).toContain('docs/\u00FCber.md')
    expect((await ws.owner.api.files.read.query({ projectId, path: 'docs/u\u0308ber.md' })).content).toBe('x')
    expect(
      await errorCodeOf(ws.owner.api.files.create.mutate({ projectId, path: 'docs/\u00FCber.md' })),
    ).toBe('CONFLICT')
  })

  it('refuses a file or folder that differs only in case from an existing one, on create and rename', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server)
    const api = ws.owner.api
    const projectId = ws.project.id
    const readme = await api.files.create.mutate({ projectId, path: 'README.md' })
    expect(await messageOf(api.files.create.mutate({ projectId, path: 'Readme.md' }))).toBe(
      '"Readme.md" differs only in case from the existing file "README.md"; ' +
        'case-insensitive file systems (macOS, Windows) would merge them',
    )
    expect(await errorCodeOf(api.files.create.mutate({ projectId, path: 'Readme.md' }))).toBe('CONFLICT')
    // A folder spelled differently: `src/main.ts` exists.
    expect(await messageOf(api.files.create.mutate({ projectId, path: 'SRC/util.ts' }))).toMatch(
      /^"SRC" differs only in case from the existing folder "src"/,
    )
    // A file named like an existing folder in another case, and the reverse.
    expect(await errorCodeOf(api.files.create.mutate({ projectId, path: 'Src' }))).toBe('CONFLICT')
    expect(await messageOf(api.files.create.mutate({ projectId, path: 'readme.MD/notes.txt' }))).toMatch(
      /^"readme.MD" differs only in case from the existing file "README.md"/,
    )
    // Non-ASCII letters fold too, composed or not.
    await api.files.create.mutate({ projectId, path: 'Ünits.md' })
    expect(await errorCodeOf(api.files.create.mutate({ projectId, path: 'u\u0308nits.md' }))).toBe('CONFLICT')

    const notes = await api.files.create.mutate({ projectId, path: 'notes.md' })
    expect(
      await messageOf(api.files.rename.mutate({ projectId, fileId: notes.id, path: 'readme.md' })),
    ).toMatch(/^"readme.md" differs only in case from the existing file "README.md"/)
    expect(
      await errorCodeOf(api.files.rename.mutate({ projectId, fileId: notes.id, path: 'Src/notes.md' })),
    ).toBe('CONFLICT')
    // Changing only the case of a file's own name is a rename like any other.
    expect((await api.files.rename.mutate({ projectId, fileId: readme.id, path: 'Readme.md' })).path).toBe(
      'Readme.md',
    )
    // And the same letters in a different place are no twin.
    await api.files.create.mutate({ projectId, path: 'docs/readme.md' })
    expect((await api.files.list.query({ projectId })).map((f) => f.path)).toEqual([
      'Readme.md',
      'docs/readme.md',
      'notes.md',
      'src/main.ts',
      'Ünits.md',
    ])
  })
})
