import { execFile } from 'node:child_process'
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { apiClient, connectPeer, newTestServer, type TestServer } from '@mimiverse/collab/testing'
import { newTempDir } from '@mimiverse/db/testing'
import { MAX_FILE_CHARS } from '@mimiverse/shared'
import { runCli } from './cli'

/**
 * The CLI end to end against a real server (in-process, port 0, PGlite): `runCli` with the arguments a user
 * types, a real folder on disk, and a real collaborator connected while a file is updated.
 */
const PASSWORD = 'correct horse battery'

let server: TestServer
/** The user `mimi` signs in as (sign-in is rate limited per address and email: one user per describe). */
let email: string
/** The same user's API, for checking what the server holds. */
let api: ReturnType<typeof apiClient>
const temps: { remove(): Promise<void> }[] = []

async function tempDir(): Promise<string> {
  const dir = await newTempDir('mimi-cli-')
  temps.push(dir)
  return dir.path
}

/** Runs `mimi` in-process and captures what it prints. */
async function mimi(args: string[], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' }
  const code = await runCli(args, {
    env: { MIMI_SERVER: server.url, MIMI_EMAIL: email, MIMI_PASSWORD: PASSWORD, ...env },
    stdout: { write: (text) => void (out.stdout += text) },
    stderr: { write: (text) => void (out.stderr += text) },
  })
  return { code, ...out }
}

async function write(root: string, path: string, content: string | Uint8Array) {
  await mkdir(join(root, path, '..'), { recursive: true })
  await writeFile(join(root, path), content)
}

const FILES: Record<string, string> = {
  '.gitignore': '*.log\nbuild/\n!keep.log\n',
  'README.md': '# Demo\n',
  'keep.log': 'kept despite *.log\n',
  'src/app.ts': Array.from({ length: 40 }, (_, i) => `export const line${i} = ${i}\n`).join(''),
  'src/.gitignore': 'secret.txt\n',
  'src/lib/deep/util.ts': 'export const util = () => "é 😀"\r\n',
}

async function sampleFolder(): Promise<string> {
  const root = await tempDir()
  for (const [path, text] of Object.entries(FILES)) await write(root, path, text)
  await write(root, 'debug.log', 'ignored\n')
  await write(root, 'build/out.js', 'ignored\n')
  await write(root, 'src/secret.txt', 'ignored by the nested .gitignore\n')
  await write(root, 'src/lib/secret.txt', 'ignored too (the nested rule applies below)\n')
  await write(root, '.git/config', '[core]\n')
  await write(root, 'logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]))
  await write(root, 'big.txt', 'x'.repeat(MAX_FILE_CHARS + 1))
  await symlink('/etc/hostname', join(root, 'link.txt'))
  return root
}

async function newUser(name: string) {
  email = `${name.toLowerCase()}-${Date.now()}@example.com`
  const { token } = await apiClient(server.url).auth.signUp.mutate({ email, password: PASSWORD, name })
  api = apiClient(server.url, token)
}

beforeAll(async () => {
  // A small message limit, so a large change must be split into several updates to get through.
  server = await newTestServer({ env: { COLLAB_MAX_MESSAGE_BYTES: String(1024 * 1024) } })
})

afterAll(async () => {
  await server?.stop()
  for (const dir of temps) await dir.remove()
})

async function projectFiles(project: string) {
  const found = (await api.projects.list.query()).find((p) => p.name === project)!
  const files = await api.files.list.query({ projectId: found.id })
  return { projectId: found.id, files }
}

describe('mimi import / export', () => {
  const project = 'Imported demo'
  let folder: string
  beforeAll(() => newUser('Cleo'))

  it('imports a folder: .gitignore rules (nested too), .git, binaries, oversized files and links', async () => {
    folder = await sampleFolder()
    const run = await mimi(['import', folder, '--project', project])
    expect(run.stderr).not.toContain('mimi:')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Created the project "${project}"`)
    expect(run.stdout).toContain('6 created, 0 updated, 0 unchanged, 3 skipped, 0 failed')
    expect(run.stdout).toContain('skipped  logo.png: binary file')
    expect(run.stdout).toContain(`skipped  big.txt: larger than ${MAX_FILE_CHARS} characters`)
    expect(run.stdout).toContain('skipped  link.txt: symbolic link')
    // Not a terminal: one plain line per file.
    expect(run.stderr).toMatch(/^\[\d\/8\] created \.gitignore$/m)

    const { projectId, files } = await projectFiles(project)
    expect(files.map((f) => f.path).sort()).toEqual(Object.keys(FILES).sort())
    for (const [path, text] of Object.entries(FILES)) {
      expect((await api.files.read.query({ projectId, path })).content).toBe(text)
    }
  })

  it('changes nothing when run again', async () => {
    const before = await projectFiles(project)
    const run = await mimi(['import', folder, '--project', project])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('0 created, 0 updated, 6 unchanged, 3 skipped, 0 failed')
    expect(run.stdout).not.toContain('Created the project')
    const after = await projectFiles(project)
    expect(after.files).toEqual(before.files)
  })

  it('updates only the changed file, as an edit a connected collaborator sees', async () => {
    const { projectId, files } = await projectFiles(project)
    const app = files.find((f) => f.path === 'src/app.ts')!
    const peer = connectPeer({
      baseUrl: server.url,
      docName: app.docName,
      token: async () => (await api.collab.token.mutate({ projectId })).token,
    })
    try {
      await peer.synced()
      const deltas: unknown[] = []
      peer.text.observe((event) => deltas.push(...event.delta))
      const changed = FILES['src/app.ts']!.replace('line20 = 20', 'line20 = 2000')
      await writeFile(join(folder, 'src/app.ts'), changed)

      const run = await mimi(['import', folder, '--project', project])
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('0 created, 1 updated, 5 unchanged, 3 skipped, 0 failed')
      expect(run.stdout).toContain('updated  src/app.ts')
      await vi.waitFor(() => expect(peer.text.toString()).toBe(changed))
      // An insertion of "00" after the untouched text, not a replaced document.
      const at = FILES['src/app.ts']!.indexOf('line20 = 20') + 'line20 = 20'.length
      expect(deltas).toEqual([{ retain: at }, { insert: '00' }])
    } finally {
      peer.destroy()
    }
  })

  it('exports every file, and the export imports back unchanged', async () => {
    const target = join(await tempDir(), 'out')
    const run = await mimi(['export', '--project', project, target])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Exported 6 files of "${project}"`)
    for (const path of Object.keys(FILES)) {
      expect(await readFile(join(target, path), 'utf8')).toBe(await readFile(join(folder, path), 'utf8'))
    }
    const again = await mimi(['import', target, '--project', project])
    expect(again.stdout).toContain('0 created, 0 updated, 6 unchanged, 0 skipped, 0 failed')
  })
})

describe('mimi import of a git repository', () => {
  beforeAll(() => newUser('Gil'))

  it('says why the history stayed behind on a server that runs no workspaces, and imports the files', async () => {
    const root = await tempDir()
    await write(root, 'README.md', '# repo\n')
    const git = (...args: string[]) =>
      promisify(execFile)('git', ['-c', 'user.name=Gil', '-c', 'user.email=gil@example.com', ...args], {
        cwd: root,
      })
    await git('init', '--quiet')
    await git('add', '.')
    await git('commit', '--quiet', '-m', 'first')
    const run = await mimi(['import', root, '--project', 'Repo'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('1 created, 0 updated, 0 unchanged, 0 skipped, 0 failed')
    expect(run.stdout).toContain('History: not imported (this server runs no workspaces (git lives there))')
    // A folder that is no repository says so.
    const plain = await tempDir()
    await write(plain, 'a.txt', 'a\n')
    expect((await mimi(['import', plain, '--project', 'Plain'])).stdout).toContain(
      'History: not imported (the folder is no git repository)',
    )
  })
})

describe('mimi import of names the server would refuse', () => {
  beforeAll(() => newUser('Tess'))

  it('skips each with the reason and imports the rest', async () => {
    const { id: projectId } = await api.projects.create.mutate({ name: 'Twins' })
    await api.files.create.mutate({ projectId, path: 'docs/intro.md' })
    const root = await tempDir()
    for (const path of [
      'README.md',
      'Readme.md',
      'Docs/guide.md',
      'a\u202Eb.txt',
      'src/Main.ts',
      'src/main.ts',
    ]) {
      await write(root, path, `${path}\n`)
    }
    const run = await mimi(['import', root, '--project', 'Twins'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('2 created, 0 updated, 0 unchanged, 4 skipped, 0 failed')
    expect(run.stdout).toContain('skipped  Docs/guide.md: "Docs" differs only in case from "docs"')
    expect(run.stdout).toContain('skipped  Readme.md: "Readme.md" differs only in case from "README.md"')
    expect(run.stdout).toContain(
      'skipped  src/main.ts: "src/main.ts" differs only in case from "src/Main.ts"',
    )
    expect(run.stdout).toContain('skipped  a\u202Eb.txt: path contains U+202E')
    const paths = (await api.files.list.query({ projectId })).map((f) => f.path)
    expect(paths.sort()).toEqual(['README.md', 'docs/intro.md', 'src/Main.ts'])
  })
})

describe('mimi import of a large change', () => {
  beforeAll(() => newUser('Eve'))

  it('sends a change larger than one WebSocket message in several updates', async () => {
    const folder = await tempDir()
    await write(folder, 'big.txt', 'small\n')
    expect((await mimi(['import', folder, '--project', 'Big'])).code).toBe(0)
    // 700,000 three-byte characters: 2.1 MB of UTF-8, over this server's 1 MiB message limit.
    const large = `${'€'.repeat(700_000)}\n`
    await write(folder, 'big.txt', large)
    const run = await mimi(['import', folder, '--project', 'Big'])
    expect(run.stdout).toContain('0 created, 1 updated')
    expect(run.code).toBe(0)
    const { projectId } = await projectFiles('Big')
    expect((await api.files.read.query({ projectId, path: 'big.txt' })).content).toBe(large)
  })
})

describe('mimi refuses bad input clearly', () => {
  beforeAll(() => newUser('Dora'))

  it('a missing folder, before signing in', async () => {
    const run = await mimi(['import', '/nonexistent/folder', '--project', 'x'], { MIMI_PASSWORD: 'wrong' })
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('mimi: no such folder: /nonexistent/folder\n')
  })

  it('a wrong password, without printing it', async () => {
    const run = await mimi(['import', await tempDir(), '--project', 'x'], { MIMI_PASSWORD: 'hunter2-wrong' })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`sign-in as ${email} failed: Wrong email or password`)
    expect(run.stderr + run.stdout).not.toContain('hunter2-wrong')
  })

  it('a server that does not answer', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const run = await mimi(['export', '--project', 'x', await tempDir()], {
      MIMI_SERVER: `http://127.0.0.1:${port}`,
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^mimi: sign-in as .* failed: cannot reach the server at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    )
  })

  it('an unknown project on export', async () => {
    const run = await mimi(['export', '--project', 'No such project', await tempDir()])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe('mimi: you have no project named "No such project"\n')
  })

  it('missing sign-in details and a missing --project', async () => {
    const run = await runCli(['export', '/tmp/x', '--project', 'p'], {
      env: {},
      stdout: { write: () => undefined },
      stderr: { write: (text) => expect(text).toContain('missing --server (or MIMI_SERVER)') },
    })
    expect(run).toBe(2)
    expect((await mimi(['import', '/tmp'])).stderr).toContain('import needs --project <name>')
  })

  it('exits non-zero from the real command line (npm run mimi)', async () => {
    const main = new URL('./main.ts', import.meta.url).pathname
    const tsx = new URL('../../node_modules/.bin/tsx', import.meta.url).pathname
    const failure = await promisify(execFile)(tsx, [main, 'export', '--project', 'x', '/tmp/x'], {
      env: { PATH: process.env.PATH, MIMI_SERVER: server.url, MIMI_EMAIL: email, MIMI_PASSWORD: 'nope-nope' },
    }).catch((e: unknown) => e as { code: number; stderr: string })
    expect(failure).toMatchObject({ code: 1 })
    expect((failure as { stderr: string }).stderr).toContain('Wrong email or password')
  })
})
