import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newHarness, sharedProject, type BrowserUser, type Harness } from './harness'
import { caretToLineEnd, editorText, openFile, openProject } from './ide'

/** 20,000 lines of plausible TypeScript, about 0.9 MB. */
const LINES = 20_000
const bigFile = Array.from(
  { length: LINES },
  (_, i) => `export const value${i} = compute(${i}, 'row ${i}') // line ${i + 1}`,
).join('\n')

describe('a 20,000-line file', () => {
  let h: Harness
  let ann: BrowserUser
  let bob: BrowserUser
  let projectId: string

  beforeAll(async () => {
    h = await newHarness()
    ann = await h.newUser('Ann')
    bob = await h.newUser('Bob')
    projectId = await sharedProject(ann, 'Big', [{ user: bob, role: 'editor' }])
    await ann.api.files.create.mutate({ projectId, path: 'big.ts', content: bigFile })
    await openProject(bob.page, h.server.url, projectId)
    await openFile(bob.page, 'big.ts')
  })
  afterAll(() => h?.close())

  it('opens', async () => {
    await openProject(ann.page, h.server.url, projectId)
    const started = Date.now()
    await openFile(ann.page, 'big.ts')
    // Printed, not asserted: timings belong to benchmarks, and a loaded CI machine is not a benchmark.
    console.info(`big file: opened and bound in ${Date.now() - started} ms`)
    await expect
      .poll(() => editorText(ann.page))
      .toContain("export const value0 = compute(0, 'row 0') // line 1")
  })

  it('keeps typing responsive, locally and for the other person', async () => {
    await caretToLineEnd(ann.page, 15_000)
    const typed = ' // typed by Ann in a big file'
    await ann.page.evaluate(recordInputLatency)
    const started = Date.now()
    await ann.page.keyboard.type(typed)
    await expect.poll(() => editorText(ann.page), { interval: 20 }).toContain(`line 15000${typed}`)
    const wallPerKey = (Date.now() - started) / typed.length
    const latencies = await ann.page.evaluate(
      () => (window as unknown as { inputLatencies: number[] }).inputLatencies,
    )
    // Events faster than 16 ms are not reported: count them as 16.
    const all = [
      ...latencies,
      ...Array<number>(Math.max(0, typed.length * 4 - latencies.length)).fill(16),
    ].sort((a, b) => a - b)
    const median = all[all.length >> 1] ?? 0
    console.info(
      `big file: key-to-paint median ${median} ms, worst ${all.at(-1)} ms; ${wallPerKey.toFixed(1)} ms per key wall time`,
    )
    // Key-to-next-paint as the browser measures it (Event Timing API, the basis of INP, where 200 ms is "good"),
    // printed for whoever reads the run: a median of 30-50 ms on a busy 2-core machine (20-25 ms for a 20-line
    // file), nearly all of it Monaco's own tokenizing and rendering. Not asserted: under a loaded CI machine it
    // measures the machine. What is asserted is that every key arrived, here and for Bob.

    await caretToLineEnd(bob.page, 15_000)
    await expect.poll(() => editorText(bob.page), { timeout: 15_000 }).toContain(`line 15000${typed}`)
    const server = await ann.api.files.read.query({ projectId, path: 'big.ts' })
    expect(server.content.split('\n')).toHaveLength(LINES)
    expect(server.content.split('\n')[14_999]).toBe(
      `export const value14999 = compute(14999, 'row 14999') // line 15000${typed}`,
    )
  })
})

/** Records, in the page, how long each keyboard/input event took from the event to the next paint. */
function recordInputLatency() {
  const w = window as unknown as { inputLatencies: number[] }
  w.inputLatencies = []
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (/^(key|beforeinput|input)/.test(e.name)) w.inputLatencies.push(e.duration)
  }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit)
}
