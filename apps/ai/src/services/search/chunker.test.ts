import { describe, expect, it } from 'vitest'
import { chunkText } from './chunker'

/** A function of `lines` lines (header, body, closing brace) with a doc comment above it. */
const fn = (name: string, lines: number) =>
  [
    `/** Does ${name}. */`,
    `export function ${name}() {`,
    ...Array.from({ length: lines - 2 }, (_, i) => `  step(${i})`),
    '}',
  ].join('\n')

describe('chunkText', () => {
  it('cuts between top-level functions, keeping each doc comment with its function', () => {
    const text = [fn('alpha', 30), fn('beta', 30), fn('gamma', 30), fn('delta', 30)].join('\n\n')
    const chunks = chunkText(text, 'src/a.ts')
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) {
      expect(c.text.startsWith('/** Does')).toBe(true)
      expect(c.text.endsWith('}')).toBe(true)
      expect(c.endLine - c.startLine + 1).toBeLessThanOrEqual(80)
    }
    // Every line is in exactly one chunk, in order.
    const joined = chunks.map((c) =>
      text
        .split('\n')
        .slice(c.startLine - 1, c.endLine)
        .join('\n'),
    )
    expect(joined).toEqual(chunks.map((c) => c.text))
  })

  it('splits a long function at its shallowest lines and never inside a line', () => {
    const text = fn('huge', 300)
    const chunks = chunkText(text, 'a.js')
    expect(chunks.length).toBeGreaterThanOrEqual(4)
    expect(chunks.every((c) => c.endLine - c.startLine + 1 <= 80)).toBe(true)
    expect(chunks.map((c) => c.text).join('\n')).toBe(text)
  })

  it('ignores brackets in strings and comments', () => {
    const noisy = ['const a = "{{{{"', '// ((((', '/* [[[[ */', 'const b = `{`'].join('\n')
    const text = [noisy, fn('alpha', 50), fn('beta', 50)].join('\n\n')
    const chunks = chunkText(text, 'a.ts')
    expect(chunks.some((c) => c.text.startsWith('/** Does beta. */'))).toBe(true)
  })

  it('falls back to indentation and blank lines for other languages', () => {
    const py = (name: string) =>
      [
        `def ${name}(x):`,
        ...Array.from({ length: 30 }, (_, i) => `    y${i} = x + ${i}`),
        '    return y0',
      ].join('\n')
    const text = [py('one'), py('two'), py('three')].join('\n\n\n')
    const chunks = chunkText(text, 'tool.py')
    for (const c of chunks) expect(c.text.startsWith('def ')).toBe(true)
    expect(chunkText('', 'x.py')).toEqual([])
    expect(chunkText('\n\n  \n', 'x.ts')).toEqual([])
  })

  it('stops at maxChunks', () => {
    expect(chunkText(fn('huge', 1000), 'a.ts', { maxChunks: 3 })).toHaveLength(3)
  })
})
