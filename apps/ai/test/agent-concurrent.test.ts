import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { TestUser } from '@mimiverse/collab/testing'
import { block, newAgentWorld, type AgentWorld } from './agent-world'
import { WAIT } from './fixtures'

/**
 * The agent and people editing the same lines while the model answers: the model quotes the version of the file
 * it was shown, and people keep typing before the agent has located that quote (with a real model, the quote
 * arrives seconds after the request). The Ollama double is driven piece by piece (`beforePiece`), so each
 * keystroke lands at a known point of the answer.
 */
const HEAD = '// math helpers\n// keep these pure\n'
const ADD = 'function add(a, b) {\n  return a + b\n}'
const MUL = 'function mul(a, b) {\n  return a * b\n}'
const SOURCE = `${HEAD}${ADD}\n\n${MUL}\n`
const TYPED_ADD = 'function add(a: number, b: number): number {\n  const sum = a + b\n  return sum\n}'
const IMPORT = "import { z } from 'zod'\n"

let world: AgentWorld
let bob: TestUser
let n = 0
beforeAll(async () => {
  world = await newAgentWorld({ AGENT_BATCH_MS: '10', AGENT_PER_MINUTE: '1000' })
  bob = await world.member('editor', 'Bob')
}, 60_000)
afterAll(() => world.close())
beforeEach(() => {
  world.ollama.beforePiece = null
})

/** A fresh file with SOURCE and two people in it: Ann (the owner, who asks) and Bob. */
async function fileWithTwo() {
  const path = `src/math${++n}.ts`
  const docName = await world.file(path, SOURCE)
  const ann = world.peer(docName)
  const bobPeer = world.peer(docName, bob)
  await Promise.all([ann.synced(), bobPeer.synced()])
  return { path, docName, ann, bob: bobPeer }
}

/** The index of the piece after which the scripted answer has streamed `upTo`. */
function pieceIndexAfter(upTo: string): number {
  let text = ''
  return world.ollama.chunks.findIndex((c) => (text += c).includes(upTo))
}

describe('agent.edit while people type in the lines it quotes', () => {
  it('locates the quote in the version the model saw: typing inside it and lines moved above it break nothing', async () => {
    const { path, docName, ann, bob } = await fileWithTwo()
    world.answer(block(ADD, TYPED_ADD), 4)
    const located = pieceIndexAfter('=======\n')
    const typed: string[] = []
    let typedBeforeQuote = 0
    world.ollama.beforePiece = async (i) => {
      if (i === 1) {
        // Bob deletes a line outside the quoted region, then adds one above it: every offset shifts.
        const at = bob.text.toString().indexOf('// keep these pure\n')
        bob.text.delete(at, '// keep these pure\n'.length)
        bob.text.insert(0, IMPORT)
        await bob.acknowledged()
      }
      if (i % 2 === 0) {
        // Ann types at the end of the quoted first line, from the request on, throughout the answer.
        const token = ` a${i}`
        const s = ann.text.toString()
        ann.text.insert(s.indexOf('\n', s.indexOf('function add(')), token)
        typed.push(token)
        await ann.acknowledged()
      }
      if (i === located) typedBeforeQuote = typed.length
    }

    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    const run = await world.finished(runId)
    expect(run.message).toMatch(/Applied 1 edit/)
    expect(run.state).toBe('done')
    expect(typedBeforeQuote).toBeGreaterThan(2)
    const keystrokes = typed.join('')
    const [first, ...rest] = TYPED_ADD.split('\n')
    const expected = `${IMPORT}// math helpers\n${[first + keystrokes, ...rest].join('\n')}\n\n${MUL}\n`
    await vi.waitFor(() => expect(ann.text.toString()).toBe(expected), WAIT)
    await vi.waitFor(() => expect(bob.text.toString()).toBe(expected), WAIT)
    expect(await world.read(path)).toBe(expected)

    await world.ai.agent.undo.mutate({ runId })
    const undone = `${IMPORT}// math helpers\n${ADD.replace('{\n', `{${keystrokes}\n`)}\n\n${MUL}\n`
    await vi.waitFor(() => expect(ann.text.toString()).toBe(undone), WAIT)
    await vi.waitFor(() => expect(bob.text.toString()).toBe(undone), WAIT)
    expect(await world.read(path)).toBe(undone)
  })

  it('skips a block whose quoted line someone deleted mid-answer, naming the line and who; other blocks apply', async () => {
    const { path, docName, ann, bob } = await fileWithTwo()
    world.answer(block(ADD, TYPED_ADD) + block('  return a * b', '  return b * a'), 4)
    const line = '  return a + b\n'
    world.ollama.beforePiece = async (i) => {
      if (i !== 0) return
      // Bob puts his cursor on the line (as his editor publishes it) and deletes the line.
      const at = bob.text.toString().indexOf(line)
      const caret = Y.createRelativePositionFromTypeIndex(bob.text, at)
      bob.provider.setAwarenessField('selection', { anchor: caret, head: caret })
      const bobsCaret = () =>
        [...ann.provider.awareness!.getStates().values()].find(
          (s) => (s.user as { name?: string } | undefined)?.name === 'Bob' && s.selection,
        )
      await vi.waitFor(() => expect(bobsCaret()).toBeTruthy(), WAIT)
      bob.text.delete(at, line.length)
      await bob.acknowledged()
    }

    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types, swap' })
    const run = await world.finished(runId)
    expect(run.state).toBe('done')
    expect(run.message).toMatch(/Applied 1 edit/)
    expect(run.message).toContain(
      `1 skipped: the text it quoted at line 4 ("  return a + b") was deleted by Bob while the model was answering`,
    )
    const expected = SOURCE.replace(line, '').replace('return a * b', 'return b * a')
    await vi.waitFor(() => expect(ann.text.toString()).toBe(expected), WAIT)
    expect(await world.read(path)).toBe(expected)
  })

  it('fails, changing nothing, when the only quoted text was deleted by someone it cannot name', async () => {
    const { path, docName, bob } = await fileWithTwo()
    world.answer(block(ADD, TYPED_ADD), 4)
    world.ollama.beforePiece = async (i) => {
      if (i !== 0) return
      // No cursor in awareness: nothing ties the deletion to a person.
      bob.text.delete(bob.text.toString().indexOf('}\n'), 1)
      await bob.acknowledged()
    }
    const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'add types' })
    const run = await world.finished(runId)
    expect(run).toMatchObject({ state: 'failed', inserted: 0, deleted: 0 })
    expect(run.message).toBe(
      `The model's edit of ${path} was not applied: the text it quoted at line 5 ("}") was deleted by another collaborator while the model was answering. Nothing was changed.`,
    )
    expect(await world.read(path)).toBe(SOURCE.replace('}\n', '\n'))
  })
})
