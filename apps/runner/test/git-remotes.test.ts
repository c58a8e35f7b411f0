import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { saveGitRemote } from '@mimiverse/db'
import { gitRemotes } from '@mimiverse/db/schema'
import { createLogger } from '@mimiverse/server-kit'
import { docNameFor } from '@mimiverse/shared'
import { describe, expect, it } from 'vitest'
import { failureOf, newGitWorld, type GitWorld } from './git-fixtures'
import { newGitHttpServer, type GitHttpServer } from '../src/testing/git-http-server'
import { onCleanup } from './fixtures'

const WAIT = { timeout: 15_000, interval: 50 }
const AUTH = { username: 'ann', token: 'tok-3f9c1b7e-secret-value' }

/** A project allowed to reach the loopback git server, every log line kept (to look for secrets in). */
async function newRemoteWorld(options: { init?: boolean; policy?: string } = {}) {
  const lines: string[] = []
  const remote = await newGitHttpServer(AUTH)
  onCleanup(() => remote.close())
  const world = await newGitWorld({
    init: options.init,
    env: { RUNNER_GIT_REMOTES: options.policy ?? '127.0.0.1' },
    log: createLogger('debug', {}, (line) => lines.push(line)),
  })
  return { world, remote, lines }
}

/** A committed file in the project, with Ann's editor on it. */
async function committed(world: GitWorld, path: string, text: string) {
  const file = await world.create(path, text)
  const ann = world.peer(file.docName)
  await ann.synced()
  await expect.poll(() => world.cat(path), WAIT).toBe(text)
  await world.git.stage.mutate({ projectId: world.projectId, paths: [path] })
  await world.git.commit.mutate({ projectId: world.projectId, message: `add ${path}` })
  return ann
}

async function connect(world: GitWorld, remote: GitHttpServer, name: string, token = AUTH.token) {
  await world.git.setRemote.mutate({
    projectId: world.projectId,
    url: remote.url(name),
    credentials: { username: AUTH.username, password: token },
  })
}

describe('git remotes', () => {
  it('pushes and pulls with the stored credentials, which no API returns and the database holds encrypted', async () => {
    const { world, remote, lines } = await newRemoteWorld()
    const { projectId } = world
    await remote.createRepo('shared')
    await connect(world, remote, 'shared')
    const info = await world.git.remote.query({ projectId })
    expect(info).toMatchObject({
      url: remote.url('shared'),
      username: 'ann',
      credentials: 'set',
      enabled: true,
    })
    expect(JSON.stringify(info)).not.toContain(AUTH.token)
    const [row] = await world.server.database.db
      .select()
      .from(gitRemotes)
      .where(eq(gitRemotes.projectId, projectId))
    expect(row!.secret).toMatch(/^v1\./)
    expect(row!.secret).not.toContain(AUTH.token)
    expect(row!.secret).not.toContain(Buffer.from(AUTH.token).toString('base64'))

    const ann = await committed(world, 'app.ts', 'one\ntwo\nthree\n')
    expect(await world.git.push.mutate({ projectId })).toMatchObject({ branch: 'main' })
    expect(await remote.subjects('shared')).toEqual(['add app.ts'])
    expect(await remote.show('shared', 'app.ts')).toBe('one\ntwo\nthree\n')
    // Credentials went as basic auth to the server, never in .git/config.
    expect(remote.requests.some((r) => r.authorization?.startsWith('Basic '))).toBe(true)
    const config = await world.cat('.git/config')
    expect(config).toContain(`url = ${remote.url('shared')}`)
    expect(config).not.toContain(AUTH.token)

    // Someone else pushes; a pull fast-forwards and the editor follows.
    await remote.commitTo(
      'shared',
      { 'app.ts': 'one\ntwo\nthree\nfour\n', 'docs/new.md': '# new\n' },
      'remote work',
    )
    expect(await world.git.pull.mutate({ projectId })).toMatchObject({
      outcome: 'fast-forward',
      conflicts: [],
    })
    await expect.poll(() => ann.text.toString(), WAIT).toBe('one\ntwo\nthree\nfour\n')
    expect(await world.paths()).toEqual(['app.ts', 'docs/new.md'])
    expect(await world.read('docs/new.md')).toBe('# new\n')
    const status = await world.git.status.query({ projectId })
    expect(status).toMatchObject({ branch: 'main', upstream: 'origin/main', ahead: 0, behind: 0, files: [] })
    expect((await world.git.remote.query({ projectId })).last).toMatchObject({ operation: 'pull', ok: true })
    expect(lines.join('\n')).not.toContain(AUTH.token)
  })

  it('says plainly when the remote refuses the credentials, without the secret in the answer or the logs', async () => {
    const { world, remote, lines } = await newRemoteWorld()
    const { projectId } = world
    await remote.createRepo('shared', { 'a.txt': 'a\n' })
    const wrong = 'wrong-token-8d1e44c0'
    await connect(world, remote, 'shared', wrong)
    const failure = await failureOf(world.git.fetch.mutate({ projectId }))
    expect(failure).toEqual({
      code: 'BAD_REQUEST',
      message: `127.0.0.1:${new URL(remote.url('x')).port} refused the username and token: check them (and that they may use this repository)`,
    })
    expect(remote.requests.length).toBeGreaterThan(0)
    const info = await world.git.remote.query({ projectId })
    expect(info.last).toMatchObject({ operation: 'fetch', ok: false })
    expect(JSON.stringify(info)).not.toContain(wrong)
    expect(lines.join('\n')).not.toContain(wrong)

    // A repository config that would send git elsewhere (or past a proxy) is refused, naming only the keys.
    const config = `${world.folder}/.git/config`
    const original = await readFile(config, 'utf8')
    await appendFile(config, `[url "http://127.0.0.1:1/"]\n\tinsteadOf = ${remote.url('shared')}\n`)
    const guarded = await failureOf(world.git.fetch.mutate({ projectId }))
    expect(guarded.code).toBe('CONFLICT')
    expect(guarded.message).toMatch(
      /^This repository's git config has url\.http:\/\/127\.0\.0\.1:1\/\.insteadof: /,
    )
    await writeFile(config, original)

    // Without credentials, the answer says to give some.
    await world.git.setRemote.mutate({ projectId, url: remote.url('shared'), credentials: null })
    expect((await world.git.remote.query({ projectId })).credentials).toBe('not set')
    expect((await failureOf(world.git.fetch.mutate({ projectId }))).message).toMatch(
      /asks for credentials: set a username and token/,
    )
  })

  it('refuses hosts outside the policy and malformed URLs before any network use', async () => {
    const { world, remote } = await newRemoteWorld({ policy: 'example.com,*.example.org' })
    const { projectId } = world
    await remote.createRepo('shared')
    expect(await failureOf(connect(world, remote, 'shared'))).toEqual({
      code: 'FORBIDDEN',
      message: '127.0.0.1 is not among the hosts git may reach on this server (RUNNER_GIT_REMOTES)',
    })
    for (const url of [
      'https://ann:pw@example.com/r.git',
      'ssh://git@example.com/r.git',
      'git@example.com:r.git',
      'file:///etc/passwd',
      'ext::sh -c touch% /tmp/pwned',
      '/srv/repo.git',
      'http://example.com/r.git',
      `https://example.com/${'a'.repeat(2100)}`,
    ]) {
      expect((await failureOf(world.git.setRemote.mutate({ projectId, url }))).code).toBe('BAD_REQUEST')
    }
    expect(
      await failureOf(world.git.setRemote.mutate({ projectId, url: 'https://example.net/r.git' })),
    ).toEqual({
      code: 'FORBIDDEN',
      message: 'example.net is not among the hosts git may reach on this server (RUNNER_GIT_REMOTES)',
    })
    await world.git.setRemote.mutate({ projectId, url: 'https://git.example.org/r.git' })
    // A remote stored while the policy allowed it is checked again at each operation.
    await saveGitRemote(world.server.database.db, {
      projectId,
      url: remote.url('shared'),
      username: null,
      secret: null,
      updatedBy: world.owner.id,
    })
    expect((await failureOf(world.git.fetch.mutate({ projectId }))).code).toBe('FORBIDDEN')
    expect((await failureOf(world.git.push.mutate({ projectId }))).code).toBe('FORBIDDEN')
    expect(remote.requests).toEqual([])

    // No policy: remote operations are off, and the answer says how to turn them on.
    const off = await newGitWorld({ env: { RUNNER_GIT_REMOTES: '' } })
    const refused = await failureOf(
      off.git.setRemote.mutate({ projectId: off.projectId, url: remote.url('shared') }),
    )
    expect(refused.code).toBe('SERVICE_UNAVAILABLE')
    expect(refused.message).toMatch(/Remote git operations are off on this server: .* RUNNER_GIT_REMOTES/)
    expect((await off.git.remote.query({ projectId: off.projectId })).enabled).toBe(false)
  })

  it('lets reviewers see the remote but not change it, fetch, pull, push or clone', async () => {
    const { world, remote } = await newRemoteWorld()
    const { projectId } = world
    await remote.createRepo('shared', { 'a.txt': 'a\n' })
    await connect(world, remote, 'shared')
    const rita = await world.member('reviewer', 'Rita')
    const seen = await rita.git.remote.query({ projectId })
    expect(seen).toMatchObject({ url: remote.url('shared'), credentials: 'set' })
    expect(JSON.stringify(seen)).not.toContain(AUTH.token)
    for (const call of [
      rita.git.setRemote.mutate({ projectId, url: remote.url('other') }),
      rita.git.removeRemote.mutate({ projectId }),
      rita.git.fetch.mutate({ projectId }),
      rita.git.pull.mutate({ projectId }),
      rita.git.push.mutate({ projectId }),
      rita.git.clone.mutate({ projectId }),
    ]) {
      expect((await failureOf(call)).code).toBe('FORBIDDEN')
    }
    expect(remote.requests).toEqual([])
  })

  it('clones into a project without a repository: the files come in as documents', async () => {
    const { world, remote } = await newRemoteWorld({ init: false })
    const { projectId } = world
    await remote.createRepo('shared', { 'README.md': '# shared\n', 'src/index.ts': 'export {}\n' })
    await remote.commitTo('shared', { 'src/index.ts': 'export const x = 1\n' }, 'second')
    const result = await world.git.clone.mutate({
      projectId,
      url: remote.url('shared'),
      credentials: { username: AUTH.username, password: AUTH.token },
    })
    expect(result).toMatchObject({ branch: 'main', files: 2 })
    expect(await world.paths()).toEqual(['README.md', 'src/index.ts'])
    expect(await world.read('src/index.ts')).toBe('export const x = 1\n')
    expect((await world.git.log.query({ projectId })).map((c) => c.subject)).toEqual([
      'second',
      'First commit',
    ])
    expect(await world.git.status.query({ projectId })).toMatchObject({
      branch: 'main',
      upstream: 'origin/main',
      files: [],
    })
    expect((await failureOf(world.git.clone.mutate({ projectId }))).code).toBe('CONFLICT')
  })

  it('pulls while people type: the pulled text and every keystroke are kept', async () => {
    const { world, remote } = await newRemoteWorld({ init: false })
    const { projectId } = world
    const base = Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join('')
    await remote.createRepo('shared', { 'doc.txt': base, 'notes.txt': 'notes\n' })
    await cloneShared(world, remote)
    const doc = world.peer(await docNameOf(world, 'doc.txt'))
    const notes = world.peer(await docNameOf(world, 'notes.txt'))
    await Promise.all([doc.synced(), notes.synced()])
    await remote.commitTo('shared', { 'doc.txt': `${base}remote line\n` }, 'remote work')

    // Notes are typed all along (a file the pull does not touch); the pulled file from the moment git rewrote it.
    let done = false
    let noted = 0
    let typed = 0
    const pulled = world.git.pull.mutate({ projectId }).finally(() => (done = true))
    const noting = (async () => {
      while (!done || noted < 5) {
        notes.text.insert(notes.text.length, 'n')
        noted++
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    })()
    await expect
      .poll(() => world.cat('doc.txt'), { timeout: 15_000, interval: 2 })
      .toBe(`${base}remote line\n`)
    while (!done || typed < 5) {
      doc.text.insert(0, 'x')
      typed++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    expect(await pulled).toMatchObject({ outcome: 'fast-forward' })
    await noting
    await Promise.all([doc.acknowledged(), notes.acknowledged()])
    await expect.poll(() => doc.text.toString(), WAIT).toBe(`${'x'.repeat(typed)}${base}remote line\n`)
    expect(notes.text.toString()).toBe(`notes\n${'n'.repeat(noted)}`)
    await expect.poll(() => world.cat('doc.txt'), WAIT).toBe(doc.text.toString())
    await expect.poll(() => world.cat('notes.txt'), WAIT).toBe(notes.text.toString())
    expect((await world.git.log.query({ projectId })).map((c) => c.subject)).toEqual([
      'remote work',
      'First commit',
    ])
    expect((await world.git.status.query({ projectId })).files.map((f) => [f.path, f.unstaged])).toEqual([
      ['doc.txt', 'modified'],
      ['notes.txt', 'modified'],
    ])
  })

  it('reports a conflicting pull with the markers in the document; committing the fix completes the merge', async () => {
    const { world, remote } = await newRemoteWorld({ init: false })
    const { projectId } = world
    await remote.createRepo('shared', { 'app.txt': 'one\ntwo\nthree\n' })
    await cloneShared(world, remote)
    const ann = world.peer(await docNameOf(world, 'app.txt'))
    await ann.synced()
    ann.text.insert('one\ntwo'.length, ' (ours)')
    await ann.acknowledged()
    await expect.poll(() => world.cat('app.txt'), WAIT).toBe('one\ntwo (ours)\nthree\n')
    await world.git.stage.mutate({ projectId, paths: ['app.txt'] })
    await world.git.commit.mutate({ projectId, message: 'ours' })
    await remote.commitTo('shared', { 'app.txt': 'one\ntwo (theirs)\nthree\n' }, 'theirs')

    const result = await world.git.pull.mutate({ projectId })
    expect(result).toMatchObject({ outcome: 'conflicts', conflicts: ['app.txt'] })
    expect(result.message).toMatch(
      /^Pulling main conflicts in app.txt: fix the marked lines, stage the files and commit/,
    )
    await expect.poll(() => ann.text.toString(), WAIT).toMatch(/^<<<<<<< HEAD\n/m)
    expect(ann.text.toString()).toContain('two (ours)\n=======\ntwo (theirs)\n>>>>>>> ')
    const status = await world.git.status.query({ projectId })
    expect(status.merging).toBe(true)
    expect(status.files).toMatchObject([{ path: 'app.txt', conflicted: true }])

    ann.text.delete(0, ann.text.length)
    ann.text.insert(0, 'one\ntwo (both)\nthree\n')
    await ann.acknowledged()
    await expect.poll(() => world.cat('app.txt'), WAIT).toBe('one\ntwo (both)\nthree\n')
    await world.git.stage.mutate({ projectId, paths: ['app.txt'] })
    const merge = await world.git.commit.mutate({ projectId, message: 'Merge theirs' })
    expect(merge.parents).toHaveLength(2)
    expect((await world.git.status.query({ projectId })).merging).toBe(false)
    await world.git.push.mutate({ projectId })
    // The two parents were made within a second: git orders them by time, so only the merge's place is sure.
    const [merged, ...parents] = await remote.subjects('shared')
    expect(merged).toBe('Merge theirs')
    expect(parents.slice(0, 2).sort()).toEqual(['ours', 'theirs'])
    expect(await remote.show('shared', 'app.txt')).toBe('one\ntwo (both)\nthree\n')
  })
})

async function cloneShared(world: GitWorld, remote: GitHttpServer) {
  await world.git.clone.mutate({
    projectId: world.projectId,
    url: remote.url('shared'),
    credentials: { username: AUTH.username, password: AUTH.token },
  })
}

async function docNameOf(world: GitWorld, path: string): Promise<string> {
  const files = await world.owner.api.files.list.query({ projectId: world.projectId })
  return docNameFor(world.projectId, files.find((f) => f.path === path)!.id)
}
