import { mkdir, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createCollabTokenIssuer, createLogger } from '@mimiverse/server-kit'
import { TEST_SECRET } from '@mimiverse/collab/testing'
import { newTempDir } from '@mimiverse/db/testing'
import { WORKSPACE_USER } from '@mimiverse/shared'
import { createWorkspaceMirror } from '../src/mirror/index'
import { newMirrorWorld, onCleanup } from './mirror-fixtures'

describe('workspace mirror: document -> disk', () => {
  it('writes what is typed in the editor to the file, atomically, once someone opens the project', async () => {
    const world = await newMirrorWorld()
    const file = await world.create('src/main.ts', 'const a = 1\n')
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect.poll(() => world.cat('src/main.ts')).toBe('const a = 1\n')

    ann.text.insert(ann.text.length, 'const b = 2\n')
    await expect.poll(() => world.cat('src/main.ts')).toBe('const a = 1\nconst b = 2\n')
    // No temporary file is left behind.
    expect(await readdir(join(world.folder, 'src'))).toEqual(['main.ts'])
  })

  it('follows files created, renamed and deleted in the IDE', async () => {
    const world = await newMirrorWorld()
    const main = await world.create('main.ts', 'main\n')
    world.peer(main.docName)
    await expect.poll(() => world.cat('main.ts')).toBe('main\n')

    const other = await world.create('lib/util.ts', 'util\n')
    await expect.poll(() => world.cat('lib/util.ts')).toBe('util\n')
    await world.owner.api.files.rename.mutate({
      projectId: world.projectId,
      fileId: other.id,
      path: 'lib/u.ts',
    })
    await expect.poll(() => world.cat('lib/u.ts')).toBe('util\n')
    expect(await world.cat('lib/util.ts')).toBeNull()
    await world.owner.api.files.delete.mutate({ projectId: world.projectId, fileId: other.id })
    await expect.poll(() => world.cat('lib/u.ts')).toBeNull()
    await expect.poll(() => readdir(world.folder)).toEqual(['main.ts'])
  })
})

describe('workspace mirror: disk -> document', () => {
  it("brings a command's change into the document while a person types in the same file; nothing is lost", async () => {
    const world = await newMirrorWorld()
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}\n`)
    const file = await world.create('notes.txt', lines.join(''))
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect.poll(() => world.cat('notes.txt')).toBe(lines.join(''))

    // A command rewrites line 15 while Ann keeps typing at the top of the file.
    const typed: string[] = []
    const typing = (async () => {
      for (let i = 0; i < 30; i++) {
        ann.text.insert(0, 'x')
        typed.push('x')
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    const changed = [...lines]
    changed[15] = 'LINE FIFTEEN (formatted)\n'
    await writeFile(join(world.folder, 'notes.txt'), changed.join(''))
    await typing
    await ann.acknowledged()

    const expected = 'x'.repeat(typed.length) + changed.join('')
    await expect.poll(() => ann.text.toString()).toBe(expected)
    await expect.poll(() => world.cat('notes.txt')).toBe(expected)
    expect(await world.read('notes.txt')).toBe(expected)
    // Attributable: the edit carries the client id under which the mirror's awareness says "Workspace".
    const states = [...ann.provider.awareness!.getStates()] as [number, { user?: { id?: string } }][]
    const mirror = states.find(([, state]) => state.user?.id === WORKSPACE_USER.id)?.[0]
    expect(mirror).toBeDefined()
    expect(ann.doc.store.clients.has(mirror!)).toBe(true)
  })

  it('turns new files on disk into project files, deletes removed ones, and leaves ignored output on disk', async () => {
    const world = await newMirrorWorld()
    const gitignore = await world.create('.gitignore', 'dist/\n*.log\n')
    world.peer(gitignore.docName)
    await expect.poll(() => world.cat('.gitignore')).toBe('dist/\n*.log\n')

    await mkdir(join(world.folder, 'src/gen'), { recursive: true })
    await writeFile(join(world.folder, 'src/gen/types.ts'), 'export type A = 1\n')
    await mkdir(join(world.folder, 'dist'), { recursive: true })
    await writeFile(join(world.folder, 'dist/bundle.js'), 'built\n')
    await writeFile(join(world.folder, 'build.log'), 'ok\n')
    await mkdir(join(world.folder, 'node_modules/x'), { recursive: true })
    await writeFile(join(world.folder, 'node_modules/x/index.js'), 'dep\n')
    await writeFile(join(world.folder, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]))
    await expect.poll(() => world.paths()).toEqual(['.gitignore', 'src/gen/types.ts'])
    expect(await world.read('src/gen/types.ts')).toBe('export type A = 1\n')

    await unlink(join(world.folder, 'src/gen/types.ts'))
    await expect.poll(() => world.paths()).toEqual(['.gitignore'])
    // What stays on disk only is still there.
    expect(await world.cat('dist/bundle.js')).toBe('built\n')
    expect(await world.cat('build.log')).toBe('ok\n')
    expect(await world.cat('node_modules/x/index.js')).toBe('dep\n')
  })

  it('leaves on disk only a name the server would store differently, and a case twin of a project file', async () => {
    const lines: { msg?: string; path?: string; reason?: string }[] = []
    const log = createLogger('info', {}, (line) => lines.push(JSON.parse(line) as (typeof lines)[number]))
    const world = await newMirrorWorld({ log })
    const readme = await world.create('README.md', 'read me\n')
    world.peer(readme.docName)
    await expect.poll(() => world.cat('README.md')).toBe('read me\n')

    const decomposed = 'cafe\u0301.ts'
    await writeFile(join(world.folder, decomposed), 'nfd\n')
    await writeFile(join(world.folder, 'Readme.md'), 'twin\n')
    const onDiskOnly = (path: string) =>
      lines.find((l) => l.msg === 'workspace file stays on disk only' && l.path === path)?.reason
    await expect
      .poll(() => onDiskOnly(decomposed))
      .toBe('name is not in the Unicode form of project paths (NFC)')
    await expect.poll(() => onDiskOnly('Readme.md')).toMatch(/differs only in case from the existing file/)
    expect(await world.paths()).toEqual(['README.md'])
    // Neither is touched, nor written back under another name.
    expect(await world.cat(decomposed)).toBe('nfd\n')
    expect(await world.cat('Readme.md')).toBe('twin\n')
    expect(await world.cat('caf\u00e9.ts')).toBeNull()
  })

  it('never echoes: its own writes do not come back as edits, even while the person types on', async () => {
    const world = await newMirrorWorld()
    const file = await world.create('a.ts', 'a\n')
    const ann = world.peer(file.docName)
    await ann.synced()
    await expect.poll(() => world.cat('a.ts')).toBe('a\n')
    const received: Uint8Array[] = []
    ann.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === ann.provider) received.push(u)
    })
    let expected = 'a\n'
    for (let round = 0; round < 5; round++) {
      ann.text.insert(ann.text.length, `round ${round}\n`)
      expected += `round ${round}\n`
      await expect.poll(() => world.cat('a.ts')).toBe(expected)
      // Typed while the mirror's own write is on its way back through the watcher.
      ann.text.insert(ann.text.length, `more ${round}\n`)
      expected += `more ${round}\n`
    }
    await expect.poll(() => world.cat('a.ts')).toBe(expected)
    await world.runner.mirror!.mirrorOf(world.projectId)!.settled()
    // A marker edit by another person: once Ann has it, she has every edit made before it.
    const bob = world.peer(file.docName)
    await bob.synced()
    bob.text.insert(0, '//\n')
    await expect.poll(() => ann.text.toString()).toBe(`//\n${expected}`)
    expect(received).toHaveLength(1)
  })
})

describe('workspace mirror: rebuilding', () => {
  it('rebuilds a lost tree from the database, and removes files deleted while it was stopped', async () => {
    const world = await newMirrorWorld()
    const file = await world.create('src/app.ts', 'app\n')
    const ann = world.peer(file.docName)
    await expect.poll(() => world.cat('src/app.ts')).toBe('app\n')
    ann.destroy()
    await expect.poll(() => world.runner.mirror!.mirrorOf(world.projectId)).toBeUndefined()

    await rm(world.folder, { recursive: true })
    await world.create('README.md', '# demo\n')
    await mkdir(join(world.folder, 'old'), { recursive: true })
    await writeFile(join(world.folder, 'old/stale.ts'), 'deleted meanwhile\n')
    await world.runner.mirror!.ensureWorkspace(world.projectId)
    expect(await world.cat('src/app.ts')).toBe('app\n')
    expect(await world.cat('README.md')).toBe('# demo\n')
    expect(await world.cat('old/stale.ts')).toBeNull()
    world.runner.mirror!.releaseWorkspace(world.projectId)
  })
})

describe('workspace mirror: ownership', () => {
  it('lets one runner mirror a project at a time; another takes over once it is released', async () => {
    const world = await newMirrorWorld()
    await world.create('a.ts', 'a\n')
    const first = world.runner.mirror!
    await first.ensureWorkspace(world.projectId)
    const elsewhere = await newTempDir('mimi-workspaces-')
    onCleanup(() => elsewhere.remove())
    const second = createWorkspaceMirror({
      db: world.server.database.db,
      files: world.server.workspaceFiles,
      tokens: createCollabTokenIssuer(TEST_SECRET, 60),
      collabUrl: () => `${world.server.url.replace(/^http/, 'ws')}/collab`,
      log: createLogger('silent'),
      workspacesDir: elsewhere.path,
      debounceMs: 50,
      pollMs: 100,
      maxBytes: 1024 * 1024,
      maxFiles: 100,
      leaseMs: 30_000,
      idleMs: 0,
    })
    onCleanup(() => second.close())

    await expect(second.ensureWorkspace(world.projectId)).rejects.toThrow(/another server node/)
    first.releaseWorkspace(world.projectId)
    const folder = await vi.waitFor(() => second.ensureWorkspace(world.projectId))
    expect(await readFile(join(folder, 'a.ts'), 'utf8')).toBe('a\n')
    second.releaseWorkspace(world.projectId)
  })
})
