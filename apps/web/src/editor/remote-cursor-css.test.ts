import { describe, expect, it } from 'vitest'
import { cssString, remoteCursorCss } from './remote-cursor-css'

describe('remoteCursorCss', () => {
  it('styles selection, caret and label per client', () => {
    const css = remoteCursorCss([{ clientId: 42, userId: 'u1', name: 'Ann' }])
    expect(css).toContain('.yRemoteSelection-42 {')
    expect(css).toContain('.yRemoteSelectionHead-42::after { content: "Ann";')
  })

  it('cannot be broken out of by a hostile name', () => {
    const hostile = 'x"; } body { display: none } .a { content: "\\'
    const literal = cssString(hostile)
    expect(literal.slice(1, -1)).not.toMatch(/["\n]/)
    expect(literal).toBe('"x\\22 ; } body { display: none } .a { content: \\22 \\5c "')
  })
})
