import { describe, expect, it } from 'vitest'
import { hunkPatch, parseBranches, parseFileDiff, parseLog, parseStatus } from './parse'

describe('git output parsers', () => {
  it('reads porcelain v2 status: branch, staged and unstaged changes, renames, untracked, conflicts', () => {
    const out = [
      '# branch.oid 1234abcd',
      '# branch.head main',
      '# branch.upstream origin/main',
      '# branch.ab +2 -1',
      '1 .M N... 100644 100644 100644 aaa bbb src/a file.ts',
      '1 A. N... 000000 100644 100644 000 ccc new.ts',
      '2 R. N... 100644 100644 100644 ddd ddd R100 renamed.ts',
      'old.ts',
      'u UU N... 100644 100644 100644 100644 e1 e2 e3 both.ts',
      '? notes.txt',
      '',
    ].join('\0')
    expect(parseStatus(out)).toEqual({
      branch: 'main',
      head: '1234abcd',
      upstream: 'origin/main',
      ahead: 2,
      behind: 1,
      files: [
        { path: 'src/a file.ts', staged: null, unstaged: 'modified', conflicted: false },
        { path: 'new.ts', staged: 'added', unstaged: null, conflicted: false },
        { path: 'renamed.ts', from: 'old.ts', staged: 'renamed', unstaged: null, conflicted: false },
        { path: 'both.ts', staged: null, unstaged: 'modified', conflicted: true },
        { path: 'notes.txt', staged: null, unstaged: 'untracked', conflicted: false },
      ],
      merging: false,
    })
    expect(parseStatus('# branch.oid (initial)\0# branch.head (detached)\0')).toMatchObject({
      branch: null,
      head: null,
    })
  })

  it('reads the log format with co-author trailers, and branches', () => {
    const record = [
      'h1',
      'p1 p2',
      'Ann',
      'ann@x',
      'Bob',
      'bob@x',
      '2026-01-01T00:00:00Z',
      'Subject',
      'Body\n',
    ]
    const out = `\x1e${record.join('\x1f')}\x1fCo B <b@x>\x1dMimi <m@x>\n`
    expect(parseLog(out)).toEqual([
      {
        hash: 'h1',
        parents: ['p1', 'p2'],
        author: { name: 'Ann', email: 'ann@x' },
        committer: { name: 'Bob', email: 'bob@x' },
        date: '2026-01-01T00:00:00Z',
        subject: 'Subject',
        body: 'Body',
        coAuthors: ['Co B <b@x>', 'Mimi <m@x>'],
      },
    ])
    expect(parseBranches('main\x1fabc\x1f*\x1forigin/main\nfeature\x1fdef\x1f \x1f\n')).toEqual([
      { name: 'main', head: 'abc', current: true, upstream: 'origin/main' },
      { name: 'feature', head: 'def', current: false, upstream: null },
    ])
  })

  it('splits a diff into hunks and builds a one-hunk patch', () => {
    const diff = [
      'diff --git a/f b/f',
      'index 1..2 100644',
      '--- a/f',
      '+++ b/f',
      '@@ -1,3 +1,3 @@ fn',
      '-a',
      '+A',
      ' b',
      '@@ -10 +10 @@',
      '-x',
      '+X',
      '\\ No newline at end of file',
      '',
    ].join('\n')
    const parsed = parseFileDiff(diff)
    expect(parsed.hunks.map((h) => h.header)).toEqual(['@@ -1,3 +1,3 @@', '@@ -10 +10 @@'])
    expect(hunkPatch(parsed, '@@ -10 +10 @@')).toBe(
      'diff --git a/f b/f\nindex 1..2 100644\n--- a/f\n+++ b/f\n@@ -10 +10 @@\n-x\n+X\n\\ No newline at end of file\n',
    )
    expect(hunkPatch(parsed, '@@ -2 +2 @@')).toBeNull()
  })
})
