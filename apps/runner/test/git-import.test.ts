import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newGitWorld } from './git-fixtures'
import { onCleanup } from './fixtures'

const MAX = 1024 * 1024

/** A repository on `trunk` with two commits (one adds a binary file), a tag, and an uncommitted change. */
async function sourceRepository() {
  const dir = await mkdtemp(join(tmpdir(), 'mimi-import-src-'))
  onCleanup(() => rm(dir, { recursive: true, force: true }))
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Ann', '-c', 'user.email=ann@example.com', ...args], {
      cwd: dir,
    }).toString()
  git('init', '--quiet', '--initial-branch=trunk')
  await mkdir(join(dir, 'src'))
  await writeFile(join(dir, 'README.md'), '# demo\n')
  await writeFile(join(dir, 'src/a.ts'), 'export const a = 1\n')
  git('add', '.')
  git('commit', '--quiet', '-m', 'first')
  await writeFile(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]))
  git('add', '.')
  git('commit', '--quiet', '-m', 'second')
  git('tag', 'v1')
  await writeFile(join(dir, 'src/a.ts'), 'export const a = 2\n')
  git('bundle', 'create', '--quiet', join(dir, 'history.bundle'), '--all')
  return { bundle: await readFile(join(dir, 'history.bundle')) }
}

describe('importing a folder with its git history', () => {
  it('brings its branches and commits, keeps the documents as the working tree, and refuses what it must', async () => {
    const world = await newGitWorld({ init: false, env: { RUNNER_GIT_IMPORT_MAX_BYTES: String(MAX) } })
    const { projectId } = world
    const { bundle } = await sourceRepository()
    // What `mimi import` uploads first: the working tree's text files, as documents.
    await world.create('README.md', '# demo\n')
    await world.create('src/a.ts', 'export const a = 2\n')

    const post = (body: Buffer, token = world.owner.token, branch = 'trunk') =>
      fetch(`${world.server.url}/runner/git/import?projectId=${projectId}&branch=${branch}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(body),
      })
    const rita = await world.member('reviewer', 'Rita')
    expect((await post(bundle, rita.token)).status).toBe(403)
    const tooBig = await post(Buffer.alloc(MAX + 1))
    expect([tooBig.status, await tooBig.json()]).toEqual([413, { error: expect.stringMatching(/larger/) }])
    const junk = await post(Buffer.from('not a bundle at all'))
    expect([junk.status, await junk.json()]).toEqual([400, { error: 'This is not a git bundle' }])

    const imported = await post(bundle)
    expect(await imported.json()).toEqual({
      branch: 'trunk',
      commits: 2,
      message: 'Imported 2 commits of trunk',
    })
    expect((await world.git.log.query({ projectId })).map((c) => c.subject)).toEqual(['second', 'first'])
    const branches = await world.git.branches.query({ projectId })
    expect(branches).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'trunk' })]))
    // The folder's uncommitted change is a change; the binary file, which is no document, is not a deletion.
    expect(await world.git.status.query({ projectId })).toMatchObject({
      branch: 'trunk',
      files: [{ path: 'src/a.ts', staged: null, unstaged: 'modified' }],
    })
    expect((await stat(join(world.folder, 'logo.png'))).size).toBe(8)

    const again = await post(bundle)
    expect(again.status).toBe(409)
  })
})
