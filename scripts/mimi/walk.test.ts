import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { newTempDir } from '@mimiverse/db/testing'
import { walk } from './walk'

let dir: { path: string; remove(): Promise<void> }
afterEach(() => dir.remove())

async function folder(files: Record<string, string>): Promise<string> {
  dir = await newTempDir('mimi-walk-')
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir.path, path, '..'), { recursive: true })
    await writeFile(join(dir.path, path), text)
  }
  return dir.path
}

describe('walk', () => {
  it('applies .gitignore files like git: deeper rules win, ignored folders are not entered', async () => {
    const root = await folder({
      '.gitignore': '*.tmp\n/dist\nnode_modules/\nREADME\n',
      'a.tmp': '',
      'src/.gitignore': '!keep.tmp\n/local.ts\n',
      'src/keep.tmp': '',
      'src/drop.tmp': '',
      'src/local.ts': '',
      'src/sub/local.ts': '',
      'src/dist/x.js': '',
      'dist/x.js': '',
      'pkg/node_modules/m/index.js': '',
      readme: 'case matters, as in git',
      '.git/HEAD': '',
    })
    const { files, skipped } = await walk(root)
    expect(files.map((f) => f.path)).toEqual([
      '.gitignore',
      'readme',
      'src/.gitignore',
      'src/dist/x.js',
      'src/keep.tmp',
      'src/sub/local.ts',
    ])
    expect(skipped).toEqual([])
  })

  it('reports links and paths the server would refuse', async () => {
    const root = await folder({ 'ok.ts': '', 'trailing.ts ': '' })
    await symlink('/etc', join(root, 'etc'))
    const { files, skipped } = await walk(root)
    expect(files.map((f) => f.path)).toEqual(['ok.ts'])
    expect(skipped).toEqual([
      { path: 'etc', reason: 'symbolic link (not followed)' },
      { path: 'trailing.ts ', reason: 'a path segment starts or ends with white space' },
    ])
  })

  it('imports names NFC-normalized, and skips a second spelling of a name and names that are not UTF-8', async () => {
    const root = await folder({
      'u\u0308ber.md': 'decomposed',
      '\u00FCber.md': 'composed',
      'a\u202Eb.txt': '',
    })
    // A name that is not valid UTF-8: Node reads it with U+FFFD in place of the bad byte.
    await writeFile(Buffer.concat([Buffer.from(`${root}/bad`), Buffer.from([0xff]), Buffer.from('.txt')]), '')
    const { files, skipped } = await walk(root)
    expect(files.map((f) => f.path)).toEqual(['\u00FCber.md'])
    expect(files[0]!.absPath).toBe(join(root, 'u\u0308ber.md'))
    expect(skipped).toEqual([
      {
        path: 'a\u202Eb.txt',
        reason: 'path contains U+202E, an invisible direction-changing (bidi) control character',
      },
      { path: 'bad\uFFFD.txt', reason: 'name is not valid UTF-8' },
      { path: '\u00FCber.md', reason: 'same name as "u\u0308ber.md" once Unicode-normalized (NFC)' },
    ])
  })
})
