import { describe, expect, it } from 'vitest'
import { failureOf, newGitWorld } from './git-fixtures'

const WAIT = { timeout: 15_000, interval: 50 }

describe('git in the workspace', () => {
  it('shows what was typed, stages it, commits it as the user who commits, and lists it in the log', async () => {
    const world = await newGitWorld()
    const { projectId } = world
    const file = await world.create('src/main.ts', 'const a = 1\n')
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect
      .poll(async () => (await world.git.status.query({ projectId })).files, WAIT)
      .toEqual([{ path: 'src/main.ts', staged: null, unstaged: 'untracked', conflicted: false }])

    await world.git.stage.mutate({ projectId, paths: ['src/main.ts'] })
    const commit = await world.git.commit.mutate({ projectId, message: 'First commit' })
    expect(commit).toMatchObject({
      subject: 'First commit',
      author: { name: 'Ann' },
      committer: { name: 'Ann' },
    })
    expect((await world.git.status.query({ projectId })).files).toEqual([])
    expect((await world.git.status.query({ projectId })).branch).toBe('main')

    // A keystroke is in the next status at once: pending writes reach the disk before git looks.
    ann.text.insert(ann.text.length, 'const b = 2\n')
    await ann.acknowledged()
    await expect
      .poll(async () => (await world.git.status.query({ projectId })).files, WAIT)
      .toEqual([{ path: 'src/main.ts', staged: null, unstaged: 'modified', conflicted: false }])
    const diff = await world.git.diff.query({ projectId, path: 'src/main.ts' })
    expect(diff).toMatchObject({
      original: 'const a = 1\n',
      modified: 'const a = 1\nconst b = 2\n',
      binary: false,
    })
    expect(diff.hunks.map((h) => h.header)).toEqual(['@@ -1 +1,2 @@'])

    await world.git.stage.mutate({ projectId, paths: ['src/main.ts'] })
    await world.git.commit.mutate({ projectId, message: 'Second\n\nWith a body' })
    const log = await world.git.log.query({ projectId })
    expect(log.map((c) => [c.subject, c.body, c.author.name])).toEqual([
      ['Second', 'With a body', 'Ann'],
      ['First commit', '', 'Ann'],
    ])
    expect(await failureOf(world.git.commit.mutate({ projectId, message: 'again' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'Nothing to commit: stage some changes first',
    })
  })

  it('stages exactly one hunk, and unstages it again', async () => {
    const world = await newGitWorld()
    const { projectId } = world
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}\n`)
    const file = await world.create('notes.txt', lines.join(''))
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect.poll(() => world.cat('notes.txt'), WAIT).toBe(lines.join(''))
    await world.git.stage.mutate({ projectId, paths: ['notes.txt'] })
    await world.git.commit.mutate({ projectId, message: 'notes' })

    // Two changes far apart: two hunks.
    ann.doc.transact(() => {
      ann.text.insert(lines.slice(0, 26).join('').length, 'LATE\n')
      ann.text.insert(lines.slice(0, 2).join('').length, 'EARLY\n')
    })
    await ann.acknowledged()
    const diff = await expect
      .poll(async () => (await world.git.diff.query({ projectId, path: 'notes.txt' })).hunks, WAIT)
      .toHaveLength(2)
      .then(() => world.git.diff.query({ projectId, path: 'notes.txt' }))
    const early = diff.hunks.find((h) => h.text.includes('+EARLY'))!
    await world.git.stage.mutate({ projectId, hunks: [{ path: 'notes.txt', header: early.header }] })

    const staged = await world.git.diff.query({ projectId, path: 'notes.txt', staged: true })
    const withEarly = [...lines.slice(0, 2), 'EARLY\n', ...lines.slice(2)].join('')
    expect(staged.modified).toBe(withEarly)
    expect(staged.hunks).toHaveLength(1)
    const status = await world.git.status.query({ projectId })
    expect(status.files).toEqual([
      { path: 'notes.txt', staged: 'modified', unstaged: 'modified', conflicted: false },
    ])
    // A hunk header that is no longer in the diff is refused, not guessed.
    expect(
      (
        await failureOf(
          world.git.stage.mutate({ projectId, hunks: [{ path: 'notes.txt', header: early.header }] }),
        )
      ).code,
    ).toBe('CONFLICT')

    await world.git.unstage.mutate({
      projectId,
      hunks: [{ path: 'notes.txt', header: staged.hunks[0]!.header }],
    })
    expect((await world.git.status.query({ projectId })).files[0]).toMatchObject({
      staged: null,
      unstaged: 'modified',
    })
  })

  it('creates, switches and merges branches; the documents follow as edits', async () => {
    const world = await newGitWorld()
    const { projectId } = world
    const file = await world.create('app.ts', 'main version\n')
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect.poll(() => world.cat('app.ts'), WAIT).toBe('main version\n')
    await world.git.stage.mutate({ projectId, paths: ['app.ts'] })
    await world.git.commit.mutate({ projectId, message: 'main' })

    await world.git.createBranch.mutate({ projectId, name: 'feature' })
    ann.text.delete(0, 4)
    ann.text.insert(0, 'feature')
    await ann.acknowledged()
    await world.create('extra.ts', 'only on feature\n')
    await expect.poll(() => world.cat('extra.ts'), WAIT).toBe('only on feature\n')
    await world.git.stage.mutate({ projectId, paths: ['app.ts', 'extra.ts'] })
    await world.git.commit.mutate({ projectId, message: 'feature work' })
    expect((await world.git.branches.query({ projectId })).map((b) => [b.name, b.current])).toEqual([
      ['feature', true],
      ['main', false],
    ])

    await world.git.checkout.mutate({ projectId, branch: 'main' })
    // Read back before the call returned: Ann's editor and the project's files are main's.
    await expect.poll(() => ann.text.toString(), WAIT).toBe('main version\n')
    expect(await world.paths()).toEqual(['app.ts'])
    expect((await world.git.status.query({ projectId })).files).toEqual([])

    await world.git.merge.mutate({ projectId, branch: 'feature' })
    await expect.poll(() => ann.text.toString(), WAIT).toBe('feature version\n')
    expect(await world.paths()).toEqual(['app.ts', 'extra.ts'])
    expect((await world.git.log.query({ projectId })).map((c) => c.subject)).toEqual(['feature work', 'main'])
  })

  it("switching while someone types in a file that differs: refused over unsaved work, else the other branch's text plus what was typed", async () => {
    const world = await newGitWorld()
    const { projectId } = world
    const base = Array.from({ length: 10 }, (_, i) => `line ${i}\n`).join('')
    const file = await world.create('doc.txt', base)
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect.poll(() => world.cat('doc.txt'), WAIT).toBe(base)
    await world.git.stage.mutate({ projectId, paths: ['doc.txt'] })
    await world.git.commit.mutate({ projectId, message: 'base' })
    await world.git.createBranch.mutate({ projectId, name: 'other' })
    ann.text.insert(ann.text.length, 'other branch line\n')
    await ann.acknowledged()
    await world.git.stage.mutate({ projectId, paths: ['doc.txt'] })
    await world.git.commit.mutate({ projectId, message: 'other' })

    // The rule: git never overwrites a change that is on disk and not committed. A keystroke that is in the
    // file when the switch starts makes it refuse, and nothing changes.
    ann.text.insert(0, 'typed before\n')
    await ann.acknowledged()
    const refused = await failureOf(world.git.checkout.mutate({ projectId, branch: 'main' }))
    expect(refused.code).toBe('CONFLICT')
    expect(refused.message).toMatch(/Uncommitted changes to doc.txt would be overwritten/)
    expect(ann.text.toString()).toBe(`typed before\n${base}other branch line\n`)
    ann.text.delete(0, 'typed before\n'.length)
    await ann.acknowledged()
    await expect.poll(() => world.cat('doc.txt'), WAIT).toBe(`${base}other branch line\n`)

    // Keystrokes that arrive once git rewrites the file are kept on top of the other branch's text.
    let typed = 0
    let done = false
    const switched = world.git.checkout.mutate({ projectId, branch: 'main' }).finally(() => (done = true))
    await expect.poll(() => world.cat('doc.txt'), { timeout: 15_000, interval: 2 }).toBe(base)
    while (!done || typed < 5) {
      ann.text.insert(0, 'x')
      typed++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await switched
    await ann.acknowledged()
    await expect.poll(() => ann.text.toString(), WAIT).toBe('x'.repeat(typed) + base)
    await expect.poll(() => world.cat('doc.txt'), WAIT).toBe(ann.text.toString())
    expect(await world.read('doc.txt')).toBe(ann.text.toString())
    expect((await world.git.status.query({ projectId })).files).toEqual([
      { path: 'doc.txt', staged: null, unstaged: 'modified', conflicted: false },
    ])
  })

  it('refuses reviewers everything but reading, and says plainly what is wrong', async () => {
    const world = await newGitWorld({ init: false })
    const { projectId } = world
    expect(await failureOf(world.git.status.query({ projectId }))).toEqual({
      code: 'NOT_FOUND',
      message: 'This workspace has no git repository: initialize one, or import a folder with its .git',
    })
    await world.git.init.mutate({ projectId })
    // The workspace is built from the database for the call: the new file is on disk for git.
    await world.create('a.txt', 'a\n')
    await world.git.stage.mutate({ projectId, paths: ['a.txt'] })
    await world.git.commit.mutate({ projectId, message: 'a' })

    const rita = await world.member('reviewer', 'Rita')
    expect((await rita.git.status.query({ projectId })).branch).toBe('main')
    expect(await rita.git.log.query({ projectId })).toHaveLength(1)
    await rita.git.diff.query({ projectId, path: 'a.txt' })
    for (const call of [
      rita.git.stage.mutate({ projectId, paths: ['a.txt'] }),
      rita.git.commit.mutate({ projectId, message: 'no' }),
      rita.git.checkout.mutate({ projectId, branch: 'main' }),
      rita.git.createBranch.mutate({ projectId, name: 'x' }),
      rita.git.merge.mutate({ projectId, branch: 'main' }),
    ]) {
      expect((await failureOf(call)).code).toBe('FORBIDDEN')
    }
    const eve = await world.member('editor', 'Eve')
    await eve.git.createBranch.mutate({ projectId, name: 'eve', checkout: false })
    expect((await failureOf(eve.git.checkout.mutate({ projectId, branch: 'nope' }))).code).toBe('NOT_FOUND')
    expect((await failureOf(eve.git.createBranch.mutate({ projectId, name: '-x' }))).code).toBe('BAD_REQUEST')
    expect((await failureOf(eve.git.stage.mutate({ projectId, paths: ['../etc/passwd'] }))).code).toBe(
      'BAD_REQUEST',
    )

    // Detached HEAD: commits are refused until a branch is checked out.
    const [head] = await world.git.log.query({ projectId })
    await eve.git.checkout.mutate({ projectId, branch: 'eve' })
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${world.folder}/.git/HEAD`, `${head!.hash}\n`)
    expect((await world.git.status.query({ projectId })).branch).toBeNull()
    expect(await failureOf(eve.git.commit.mutate({ projectId, message: 'x' }))).toEqual({
      code: 'CONFLICT',
      message: 'HEAD is detached: switch to a branch or create one first',
    })
  })
})
