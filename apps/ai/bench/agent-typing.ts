import { seededRandom } from '@mimiverse/collab/testing'
import { block, type AgentWorld } from '../test/agent-world'

/**
 * The bench case "someone types before the agent located its text": a person keeps typing at random places
 * inside the lines the model quotes, from when the request reaches the model until the run ends, and at a random moment
 * deletes a line below them and adds one above (every offset shifts). The model's quote streams in over a few
 * hundred milliseconds, so most keystrokes land before the agent has located it. A run succeeds when it ends
 * `done`, every keystroke is in the document, the text without them is exactly the agent's rewrite, and the
 * database holds the same text as the person's client.
 */
const FUNCTION =
  'function total(items) {\n  let sum = 0\n  for (const i of items) sum += i.price\n  return sum\n}'
const REWRITE =
  'function total(items) {\n  // the sum of the prices\n  let sum = 0\n  for (const item of items) sum += item.price\n  return sum\n}'
const SOURCE = `// prices\n${FUNCTION}\n// totals\nexport default total\n`
const EXPECTED = `// header\n// prices\n${REWRITE}\nexport default total\n`
/** What the person types: one character, never in the file otherwise. */
const KEY = '§'

export interface TypingResult {
  runs: number
  succeeded: number
  successRate: number
  /** Runs in which at least one keystroke was made before the model's quote had fully streamed. */
  typedBeforeQuote: number
  keystrokes: number
  failures: string[]
}

export async function typingBeforeLocate(
  world: AgentWorld,
  opts: { runs: number; tokenMs: number; tokenChars: number },
): Promise<TypingResult> {
  const result: TypingResult = {
    runs: opts.runs,
    succeeded: 0,
    successRate: 0,
    typedBeforeQuote: 0,
    keystrokes: 0,
    failures: [],
  }
  for (let run = 0; run < opts.runs; run++) {
    const outcome = await oneRun(world, run, opts)
    result.keystrokes += outcome.keystrokes
    if (outcome.beforeQuote) result.typedBeforeQuote++
    if (outcome.failure === null) result.succeeded++
    else if (result.failures.length < 5) result.failures.push(`run ${run}: ${outcome.failure}`)
    process.stderr.write(`typing run ${run + 1}/${opts.runs}${outcome.failure ? ' FAILED' : ''}\n`)
  }
  result.successRate = result.succeeded / result.runs
  return result
}

async function oneRun(
  world: AgentWorld,
  run: number,
  opts: { tokenMs: number; tokenChars: number },
): Promise<{ keystrokes: number; beforeQuote: boolean; failure: string | null }> {
  const random = seededRandom(run + 1)
  const path = `bench/typing${run}.ts`
  const docName = await world.file(path, SOURCE)
  const person = world.peer(docName)
  await person.synced()
  world.answer(block(FUNCTION, REWRITE), opts.tokenChars)
  world.ollama.chunkDelayMs = opts.tokenMs
  let streamed = ''
  const quotePiece = world.ollama.chunks.findIndex((c) => (streamed += c).includes('=======\n'))

  const text = person.text
  const typedAt: number[] = []
  let shifted = false
  let stop = false
  const shiftAfter = Math.floor(random() * 8)
  const keystroke = () => {
    if (stop) return
    const s = text.toString()
    // Inside the quoted lines: after "// prices\n", up to the end of the function's last line.
    const start = s.indexOf('// prices\n') + '// prices\n'.length
    const end = s.search(/\n(\/\/ totals|export default total)\n/)
    text.insert(start + Math.floor(random() * (end - start + 1)), KEY)
    typedAt.push(performance.now())
    if (!shifted && typedAt.length > shiftAfter) {
      shifted = true
      text.doc!.transact(() => {
        text.delete(text.toString().indexOf('// totals\n'), '// totals\n'.length)
        text.insert(0, '// header\n')
      })
    }
    setTimeout(keystroke, 10 + random() * 30)
  }
  // Typing starts when the request reaches the model: the prompt showed the file as scripted.
  world.ollama.beforePiece = (i) => {
    if (i === 0) setTimeout(keystroke, random() * 40)
  }
  const { runId } = await world.ai.agent.edit.mutate({ docName, instruction: 'document the function' })
  const finished = await world.finished(runId, 120_000)
  stop = true
  world.ollama.beforePiece = null
  await person.acknowledged()
  const failure = await check(world, path, person.text.toString(), finished, typedAt.length)
  const quoteAt = world.ollama.sentAt[quotePiece] ?? Infinity
  person.destroy()
  return { keystrokes: typedAt.length, beforeQuote: typedAt.some((t) => t < quoteAt), failure }
}

async function check(
  world: AgentWorld,
  path: string,
  text: string,
  run: { state: string; message: string | null },
  typed: number,
): Promise<string | null> {
  if (run.state !== 'done') return `ended ${run.state}: ${run.message}`
  if (text.split(KEY).length - 1 !== typed)
    return `${typed} keystrokes typed, ${text.split(KEY).length - 1} kept`
  if (text.replaceAll(KEY, '') !== EXPECTED) return `the agent's text is wrong: ${JSON.stringify(text)}`
  // The server stores what it applied; give it a moment to reach the database.
  const deadline = performance.now() + 10_000
  while ((await world.read(path)) !== text) {
    if (performance.now() > deadline) return 'the database does not hold the clients’ text'
    await new Promise((r) => setTimeout(r, 50))
  }
  return null
}
