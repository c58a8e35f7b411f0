import { describe, expect, it } from 'vitest'
import { bestWindows, renderQwenContext, selectContext } from './completion-context'

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n')

describe('repository context', () => {
  it('picks the window of an open file that shares the most identifiers with the lines above the cursor', () => {
    const other = lines(100, (i) =>
      i === 60 ? 'export function parseInvoice(total: Money) {' : `filler${i}()`,
    )
    const [hit] = bestWindows('const x = parseInvoice(total', [{ path: 'lib.ts', text: other }])
    expect(hit?.path).toBe('lib.ts')
    expect(hit?.text).toContain('parseInvoice(total: Money)')
    expect(bestWindows('zzz', [{ path: 'lib.ts', text: other }])).toEqual([])
  })

  it('fills the budget by priority (recent edits, search, open files) and renders the best nearest the cursor', () => {
    const picked = selectContext({
      prefix: 'useWidget(',
      recent: [{ path: 'recent.ts', text: 'recentEdit()' }],
      search: [{ path: 'hit.ts', text: 'searchHit()' }],
      open: [{ path: 'open.ts', text: 'function useWidget() {}' }],
      budget: 1000,
    })
    expect(picked.map((s) => s.path)).toEqual(['open.ts', 'hit.ts', 'recent.ts'])
    const small = selectContext({
      prefix: 'useWidget(',
      recent: [{ path: 'recent.ts', text: 'recentEdit()' }],
      search: [{ path: 'hit.ts', text: 'searchHit()\nmore()' }],
      open: [{ path: 'open.ts', text: 'function useWidget() {}' }],
      budget: 25,
    })
    // The search hit is cut at a line end to fit; the open file no longer fits.
    expect(small).toEqual([
      { path: 'hit.ts', text: 'searchHit()' },
      { path: 'recent.ts', text: 'recentEdit()' },
    ])
    expect(renderQwenContext('p', small)).toBe(
      '<|repo_name|>p\n<|file_sep|>hit.ts\nsearchHit()\n<|file_sep|>recent.ts\nrecentEdit()\n',
    )
    expect(renderQwenContext('p', [])).toBe('')
  })
})
