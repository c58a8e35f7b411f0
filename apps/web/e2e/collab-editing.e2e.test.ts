import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, screenshots, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, editorText, expectEditorText, openFile, pairOnFile, remoteCursorLabels } from './ide'

describe('two editors in one file', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let projectId: string
  const serverText = (path: string) => ann.api.files.read.query({ projectId, path }).then((r) => r.content)

  beforeAll(async () => {
    h = await newHarness()
    ;({ ann, bob, projectId } = await pairOnFile(h, {
      project: 'Pair',
      path: 'notes.txt',
      content: 'alpha\nbeta\ngamma\n',
    }))
  })
  afterAll(() => h?.close())

  it('types at the same time on different lines and the same line, and everyone converges', async () => {
    await caretToLineEnd(ann.page, 1)
    await caretToLineEnd(bob.page, 3)
    await Promise.all([
      ann.page.keyboard.type(' ann-was-here', { delay: 15 }),
      bob.page.keyboard.type(' bob-too', { delay: 15 }),
    ])
    await caretToLineEnd(ann.page, 2)
    await caretToLineEnd(bob.page, 2)
    await Promise.all([
      ann.page.keyboard.type(' AAA', { delay: 15 }),
      bob.page.keyboard.type(' BBB', { delay: 15 }),
    ])

    await expect
      .poll(() => serverText('notes.txt'), { timeout: 15_000 })
      .toMatch(/^alpha ann-was-here\nbeta [ AB]{7}\ngamma bob-too\n$/)
    const final = await serverText('notes.txt')
    // Typing at the very same spot interleaves keystrokes (each caret stays after the other's last insert), as
    // in any character-wise CRDT editor; what matters is that no keystroke is lost and each person's stay in order.
    const shared = final.split('\n')[1] ?? ''
    expect(shared.startsWith('beta')).toBe(true)
    expect([...shared.slice(4)].sort().join('')).toBe('  AAABBB')
    expect(shared.replace(/[^A]/g, '')).toBe('AAA')
    await expectEditorText(ann.page, final)
    await expectEditorText(bob.page, final)
  })

  it("shows each user the other's cursor with their name", async () => {
    await expect.poll(() => remoteCursorLabels(ann.page)).toEqual(['Bob'])
    await expect.poll(() => remoteCursorLabels(bob.page)).toEqual(['Ann'])
    await expect
      .poll(() => ann.page.locator('.presence-row[data-user="Bob"] .presence-file').textContent())
      .toBe('notes.txt')
  })

  it('takes README screenshots of two people in a TypeScript file', async () => {
    await ann.api.files.create.mutate({ projectId, path: 'src/server.ts', content: SAMPLE })
    for (const u of [ann, bob]) await openFile(u.page, 'src/server.ts')
    await caretToLineEnd(ann.page, 7)
    await caretToLineEnd(bob.page, 9)
    await bob.page.keyboard.press('Shift+Home')
    await expect.poll(() => remoteCursorLabels(ann.page)).toEqual(['Bob'])
    await expect.poll(() => remoteCursorLabels(bob.page)).toEqual(['Ann'])
    await mkdir(screenshots, { recursive: true })
    await ann.page.screenshot({ path: join(screenshots, 'ide-two-users.png') })
    await bob.page.screenshot({ path: join(screenshots, 'ide-two-users-bob.png') })
  })

  it('runs under its Content-Security-Policy: nothing was refused while two people edited', async () => {
    // Everything above (typing, remote cursors, a TypeScript file with its language worker) ran under the policy.
    const policy = await ann.page.evaluate(async () =>
      (await fetch(location.href)).headers.get('content-security-policy'),
    )
    expect(policy).toContain("frame-ancestors 'none'")
    expect(ann.cspViolations).toEqual([])
    expect(bob.cspViolations).toEqual([])
    // The watch sees a violation when there is one: an inline script is refused.
    await bob.page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.inlineScriptRan = true'
      document.head.append(script)
    })
    await expect.poll(() => bob.cspViolations.length).toBeGreaterThan(0)
    bob.cspViolations.length = 0
  })

  it('undo removes only your own last edit', async () => {
    for (const u of [ann, bob]) await openFile(u.page, 'notes.txt')
    await caretToLineEnd(ann.page, 3)
    await ann.page.keyboard.type(' undo-me')
    await expect.poll(() => serverText('notes.txt')).toContain('undo-me')
    await caretToLineEnd(bob.page, 1)
    await bob.page.keyboard.type(' keep-me')
    await expect.poll(() => editorText(ann.page)).toContain('keep-me')

    await ann.page.keyboard.press('Control+z')
    await expect.poll(() => serverText('notes.txt')).not.toContain('undo-me')
    const text = await serverText('notes.txt')
    expect(text).toContain('keep-me')
    await expectEditorText(bob.page, text)
    await ann.page.keyboard.press('Control+Shift+z')
    await expect.poll(() => serverText('notes.txt')).toContain('undo-me')
  })

  it('still shows the content after a reload', async () => {
    const before = await serverText('notes.txt')
    await bob.page.reload()
    // The open tab is restored from the session; the file syncs again.
    await bob.page.locator('[data-testid=editor-host][data-bound=true]').waitFor()
    await expectEditorText(bob.page, before)
    await expect(bob.page.getByTestId('save-status').textContent()).resolves.toBe('Saved')
  })
})

const SAMPLE = `import { createServer } from 'node:http'

/** Answers every request with a greeting and the time it took. */
export function startServer(port: number) {
  const server = createServer((req, res) => {
    const started = performance.now()
    res.setHeader('content-type', 'text/plain')
    res.end(\`Hello from \${req.url}\\n\`)
    log(req.method ?? 'GET', req.url ?? '/', performance.now() - started)
  })
  return server.listen(port)
}

function log(method: string, url: string, ms: number) {
  console.log(\`\${method} \${url} \${ms.toFixed(1)} ms\`)
}
`
