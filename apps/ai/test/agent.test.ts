import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { AGENT_NAME, AGENT_USER_ID } from '@mimiverse/shared'
import { block, marksOf, newAgentWorld, type AgentWorld } from './agent-world'
import { aiClient, errorOf, WAIT } from './fixtures'

const ADD = 'function add(a, b) {\n  return a + b\n}'
const MUL = 'function mul(a, b) {\n  return a * b\n}'
const SOURCE = `${ADD}\n\n${MUL}\n`
const TYPED_ADD = 'function add(a: number, b: number): number {\n  const sum = a + b\n  return sum\n}'

let world: AgentWorld
let n = 0
beforeAll(async () => {
  world = await newAgentWorld({ AGENT_BATCH_MS: '10', AGENT_PER_MINUTE: '1000' })
}, 60_000)
afterAll(() => world.close())
beforeEach(() => {
  Object.assign(world.ollama, {
    hold: false,
    holdAfter: 0,
    failMidStream: false,
    failAfter: 0,
    chunkDelayMs: 0,
    beforePiece: null,
  })
  world.ollama.release()
})

/** A fresh file with SOURCE, a human editor on it, and the path. */
async function fileWithEditor() {
  const path = `src/f${++n}.ts`
  const docName = await world.file(path, SOURCE)
  const human = world.peer(docName)
  await human.synced()
  return { path, docName, human }
}

const finished = (runId: string) => world.finished(runId)

/** The index of the piece after which the scripted answer has streamed `upTo`. */
function pieceIndexAfter(upTo: string): number {
  let text = ''
  const i = world.ollama.chunks.findIndex((c) => (text += c).includes(upTo))
  return i
}

describe('agent.edit', () => {
  it('types its rewrite while a human types inside that function and in another: nothing is lost anywhere', async () => {
    const { path, docName, human } = await fileWithEditor()
    const other = world.peer(docName)
    await other.synced()
    world.answer(block(ADD, TYPED_ADD))
    Object.assign(world.ollama, { hold: true, holdAfter: pieceIndexAfter('const sum = a + b\n') + 1 })

    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    await vi.waitFor(() => expect(human.text.toString()).toContain('const sum = a + b\n'), WAIT)
    expect((await world.ai.agent.status.query({ runId })).state).toBe('running')
    // Mid-stream: a keystroke inside the line the agent is about to rewrite, and one in the other function.
    const t = human.text
    t.insert(t.toString().indexOf('return a + b') + 'return a + b'.length, 'X')
    t.insert(t.toString().indexOf('return a * b') + 'return a * b'.length, ' // ok')
    await human.acknowledged()
    world.ollama.release()

    const run = await finished(runId)
    expect(run).toMatchObject({ state: 'done', edits: 1, review: 'pending', path, instruction: 'add types' })
    expect(run.message).toMatch(/Applied 1 edit/)
    const expected = `${TYPED_ADD.replace('return sum', 'return sumX')}\n\n${MUL.replace('a * b', 'a * b // ok')}\n`
    await vi.waitFor(() => expect(other.text.toString()).toBe(expected), WAIT)
    expect(human.text.toString()).toBe(expected)
    expect(await world.read(path)).toBe(expected)
    // The inserted text is highlighted in every client until reviewed.
    const mark = marksOf(other.doc).get(runId)
    expect(mark).toMatchObject({ runId, requester: 'Ann', state: 'done' })
    expect(mark!.ranges.length).toBeGreaterThan(0)
  })

  it('undo after people edited elsewhere restores the region and keeps their edits', async () => {
    const { path, docName, human } = await fileWithEditor()
    world.answer(block(ADD, TYPED_ADD))
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    expect((await finished(runId)).state).toBe('done')
    await vi.waitFor(() => expect(human.text.toString()).toContain(TYPED_ADD), WAIT)
    human.text.insert(human.text.length, '// human tail\n')
    human.text.insert(0, '// human head\n')
    await human.acknowledged()

    const undone = await world.ai.agent.undo.mutate({ runId })
    expect(undone.review).toBe('undone')
    const expected = `// human head\n${SOURCE}// human tail\n`
    await vi.waitFor(() => expect(human.text.toString()).toBe(expected), WAIT)
    expect(await world.read(path)).toBe(expected)
    expect(marksOf(human.doc).has(runId)).toBe(false)
    expect((await errorOf(world.ai.agent.undo.mutate({ runId })))?.code).toBe('CONFLICT')
  })

  it('accept clears the highlight and keeps the text', async () => {
    const { docName, human } = await fileWithEditor()
    world.answer(block('  return a * b', '  return b * a'))
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'swap' })
    expect((await finished(runId)).inserted).toBeGreaterThan(0)
    await vi.waitFor(() => expect(marksOf(human.doc).has(runId)).toBe(true), WAIT)
    expect((await world.ai.agent.accept.mutate({ runId })).review).toBe('accepted')
    await vi.waitFor(() => expect(marksOf(human.doc).has(runId)).toBe(false), WAIT)
    expect(human.text.toString()).toContain('return b * a')
    const { runs } = await world.ai.agent.runs.query({ projectId: world.projectId })
    expect(runs.find((r) => r.runId === runId)).toMatchObject({
      review: 'accepted',
      requester: { name: 'Ann' },
    })
  })

  it('can be cancelled mid-stream: the model request is closed and what was typed can be undone', async () => {
    const { path, docName, human } = await fileWithEditor()
    world.answer(block(ADD, TYPED_ADD))
    Object.assign(world.ollama, { hold: true, holdAfter: pieceIndexAfter('const sum') })
    const closed = world.ollama.closedEarly
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    await vi.waitFor(() => expect(human.text.toString()).toContain('const sum'), WAIT)

    const run = await world.ai.agent.cancel.mutate({ runId })
    expect(run.state).toBe('cancelled')
    expect(run.message).toMatch(/Cancelled/)
    await vi.waitFor(() => expect(world.ollama.closedEarly).toBe(closed + 1), WAIT)
    expect(await world.read(path)).toBe(human.text.toString())
    await world.ai.agent.undo.mutate({ runId })
    await vi.waitFor(() => expect(human.text.toString()).toBe(SOURCE), WAIT)
  })

  it('reports a model failure mid-stream and leaves the document consistent', async () => {
    const { path, docName, human } = await fileWithEditor()
    world.answer(block(ADD, TYPED_ADD))
    Object.assign(world.ollama, { failMidStream: true, failAfter: pieceIndexAfter('const sum') })
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    const run = await finished(runId)
    expect(run.state).toBe('failed')
    expect(run.message).toMatch(/runner crashed/)
    await vi.waitFor(async () => expect(await world.read(path)).toBe(human.text.toString()), WAIT)
    expect(human.text.toString()).toContain('const sum')
  })

  it('fails clearly when the model quotes text that is not in the file, changing nothing', async () => {
    const { path, docName, human } = await fileWithEditor()
    world.answer(block('function nope() {}', 'function yes() {}'))
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'rename' })
    const run = await finished(runId)
    expect(run).toMatchObject({ state: 'failed', inserted: 0, deleted: 0 })
    expect(run.message).toMatch(/did not match .*function nope/)
    expect(await world.read(path)).toBe(SOURCE)
    expect(marksOf(human.doc).has(runId)).toBe(false)
  })

  it('shows the agent in awareness while it works, and no longer after', async () => {
    const { docName, human } = await fileWithEditor()
    world.answer(block(ADD, TYPED_ADD))
    Object.assign(world.ollama, { hold: true, holdAfter: pieceIndexAfter('const sum') })
    const names = () =>
      [...human.provider.awareness!.getStates().values()].map(
        (s) => (s.user as { name?: string } | undefined)?.name,
      )
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    const agentState = () =>
      [...human.provider.awareness!.getStates().values()].find(
        (s) => (s.user as { name?: string } | undefined)?.name === AGENT_NAME,
      )
    // Its cursor (the \`selection\` field y-monaco draws) moves with its typing.
    await vi.waitFor(() => expect(agentState()?.selection).toBeTruthy(), WAIT)
    // Who asked, by id and name only (never the account's e-mail), as the collab server requires.
    expect(agentState()!.user).toMatchObject({ id: AGENT_USER_ID, name: AGENT_NAME })
    expect((agentState()!.user as { onBehalfOf?: unknown }).onBehalfOf).toEqual({
      id: world.owner.id,
      name: 'Ann',
    })
    world.ollama.release()
    await finished(runId)
    await vi.waitFor(() => expect(names()).not.toContain(AGENT_NAME), WAIT)
  })

  it('refuses reviewers, documents of other projects, and a second run on the same file', async () => {
    const { docName } = await fileWithEditor()
    const reviewer = await world.member('reviewer', 'Rita')
    const asReviewer = aiClient(world.server.url, reviewer.token)
    const refused = await errorOf(asReviewer.agent.edit.mutate({ docName, instruction: 'x' }))
    expect(refused).toMatchObject({ code: 'FORBIDDEN' })
    expect(refused?.message).toMatch(/Reviewers cannot/)

    const stranger = await world.member('editor', 'Sam')
    const theirs = await stranger.api.projects.create.mutate({ name: 'theirs' })
    const theirFile = await stranger.api.files.create.mutate({
      projectId: theirs.id,
      path: 'a.ts',
      content: 'a',
    })
    expect(
      (await errorOf(world.ai.agent.edit.mutate({ docName: theirFile.docName, instruction: 'x' })))?.code,
    ).toBe('FORBIDDEN')

    world.answer(block(ADD, TYPED_ADD))
    Object.assign(world.ollama, { hold: true, holdAfter: 1 })
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'one' })
    expect((await errorOf(world.ai.agent.edit.mutate({ docName, instruction: 'two' })))?.code).toBe(
      'CONFLICT',
    )
    expect((await errorOf(asReviewer.agent.cancel.mutate({ runId })))?.code).toBe('FORBIDDEN')
    expect((await asReviewer.agent.status.query({ runId })).state).toBe('running')
    world.ollama.release()
    await finished(runId)
  })

  it('edits only inside the selection when a range is given', async () => {
    const { path, docName } = await fileWithEditor()
    world.answer(block('  return a + b', '  return 0'))
    const { runId } = await world.ai.agent.edit.mutate({
      docName,
      instruction: 'return 0',
      range: { startLine: 5, endLine: 7 },
    })
    expect((await finished(runId)).state).toBe('failed')
    expect(await world.read(path)).toBe(SOURCE)
    const chat = world.ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!
    expect(JSON.stringify(chat.body.messages)).toContain('Selected lines 5-7')
  })

  it('fails fast, naming what to start, when the chat model is not there; nothing is recorded', async () => {
    const { docName } = await fileWithEditor()
    const models = world.ollama.models
    world.ollama.models = []
    try {
      const error = await errorOf(world.ai.agent.edit.mutate({ docName, instruction: 'x' }))
      expect(error?.code).toBe('SERVICE_UNAVAILABLE')
      expect(error?.message).toMatch(/ollama pull qwen2.5-coder:7b/)
    } finally {
      world.ollama.models = models
    }
    const { runs } = await world.ai.agent.runs.query({ projectId: world.projectId })
    expect(runs.some((r) => r.docName === docName)).toBe(false)
  })
})

describe('agent.undo after its document was let go', () => {
  it('says Undo is no longer available (as after a restart) and Accept still clears the highlight', async () => {
    // Keeps one finished run in memory: the older run is let go as a restart would.
    const small = await newAgentWorld({ AGENT_KEEP_RUNS: '1', AGENT_PER_MINUTE: '1000' })
    try {
      const first = await small.file('a.ts', SOURCE)
      const second = await small.file('b.ts', SOURCE)
      small.answer(block(ADD, TYPED_ADD))
      const runs: string[] = []
      for (const docName of [first, second]) {
        const { runId } = await small.ai.agent.edit.mutate({ docName, instruction: 'add types' })
        await vi.waitFor(
          async () => expect((await small.ai.agent.status.query({ runId })).state).toBe('done'),
          WAIT,
        )
        runs.push(runId)
      }
      const error = await errorOf(small.ai.agent.undo.mutate({ runId: runs[0]! }))
      expect(error?.code).toBe('CONFLICT')
      expect(error?.message).toMatch(/Undo is no longer available/)
      expect((await small.ai.agent.accept.mutate({ runId: runs[0]! })).review).toBe('accepted')
      const watcher = small.peer(first)
      await watcher.synced()
      expect(marksOf(watcher.doc).has(runs[0]!)).toBe(false)
      expect(watcher.text.toString()).toContain(TYPED_ADD)
    } finally {
      await small.close()
    }
  })
})
