import { describe, expect, it } from 'vitest'
import { buildTree, joinPath, movedPath } from './file-tree'

describe('buildTree', () => {
  it('nests files under implied folders, folders first, and keeps empty client-side folders', () => {
    const tree = buildTree(
      [
        { id: '1', path: 'src/b.ts' },
        { id: '2', path: 'README.md' },
        { id: '3', path: 'src/a/x.ts' },
      ],
      ['docs'],
    )
    expect(tree.map((n) => n.path)).toEqual(['docs', 'src', 'README.md'])
    const src = tree[1]
    expect(src?.kind === 'folder' && src.children.map((n) => n.path)).toEqual(['src/a', 'src/b.ts'])
  })
})

describe('paths', () => {
  it('joins and moves', () => {
    expect(joinPath('', 'a.ts')).toBe('a.ts')
    expect(joinPath('src', 'a.ts')).toBe('src/a.ts')
    expect(movedPath('src/a/x.ts', 'src/a', 'lib')).toBe('lib/x.ts')
    expect(movedPath('src/ab.ts', 'src/a', 'lib')).toBeNull()
  })
})
