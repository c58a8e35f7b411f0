import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, type BrowserUser, type Harness } from './harness'
import { networkSwitch, type NetworkSwitch } from './network'
import { caretToLineEnd, editorText, expectEditorText, openFile, pairOnFile } from './ide'

describe('offline editing', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let bobNet: NetworkSwitch
  let projectId: string
  const serverText = () => ann.api.files.read.query({ projectId, path: 'shared.txt' }).then((r) => r.content)
  const status = (u: BrowserUser) => u.page.getByTestId('connection-status').textContent()
  const socket = (u: BrowserUser) => u.page.getByTestId('connection-status').getAttribute('title')
  const saved = (u: BrowserUser) => u.page.getByTestId('save-status').textContent()

  beforeAll(async () => {
    h = await newHarness()
    const file = { project: 'Trains', path: 'shared.txt', content: 'one\ntwo\nthree\n' }
    ;({ ann, bob, projectId } = await pairOnFile(h, file, async (users) => {
      bobNet = await networkSwitch(users.bob.context)
    }))
  })
  afterAll(() => h?.close())

  it('keeps edits made offline and merges them with the others when back online', async () => {
    await bobNet.offline()
    await expect.poll(() => status(bob)).toBe('Offline')
    // The provider saw the socket close: the merge below goes through its reconnect and sync handshake.
    await expect.poll(() => socket(bob)).toBe('Collaboration socket closed')

    await caretToLineEnd(bob.page, 1)
    await bob.page.keyboard.type(' bob-offline')
    await caretToLineEnd(ann.page, 3)
    await ann.page.keyboard.type(' ann-online')
    await caretToLineEnd(ann.page, 1)
    await ann.page.keyboard.type(' ann-same-line')

    await expect.poll(() => serverText()).toBe('one ann-same-line\ntwo\nthree ann-online\n')
    await expect.poll(() => saved(bob)).toMatch(/^Offline: \d+ edits? kept on this device$/)
    expect(await editorText(bob.page)).toBe('one bob-offline\ntwo\nthree\n')

    await bobNet.online()
    await expect.poll(() => status(bob), { timeout: 15_000 }).toBe('Connected')
    await expect.poll(() => serverText(), { timeout: 15_000 }).toContain('bob-offline')
    const final = await serverText()
    expect(final).toMatch(
      /^one( bob-offline ann-same-line| ann-same-line bob-offline)\ntwo\nthree ann-online\n$/,
    )
    await expectEditorText(ann.page, final)
    await expectEditorText(bob.page, final)
    await expect.poll(() => saved(bob)).toBe('Saved')
  })

  it('keeps offline edits on the device across a reload and sends them when the connection is back', async () => {
    await bobNet.socketsDown()
    await expect.poll(() => socket(bob)).toBe('Collaboration socket closed')
    await caretToLineEnd(bob.page, 2)
    await bob.page.keyboard.type(' kept')
    // Only once the edits are written to IndexedDB does the bar say they are kept.
    await expect.poll(() => saved(bob)).toMatch(/^Offline: \d+ edits? kept on this device$/)
    expect(await serverText()).not.toContain('kept')

    await bob.page.reload()
    await openFile(bob.page, 'shared.txt')
    await expect.poll(() => editorText(bob.page)).toContain('two kept')
    await expect.poll(() => saved(bob)).toBe('Offline: showing the copy kept on this device')
    expect(await serverText()).not.toContain('kept')

    await bobNet.online()
    await expect.poll(() => serverText(), { timeout: 15_000 }).toContain('two kept')
    await expectEditorText(ann.page, await serverText())
    await expect.poll(() => saved(bob), { timeout: 15_000 }).toBe('Saved')
  })
})
