/**
 * `npm run bench:workspace`: how fast the workspace mirror carries a change each way, on a real collab node with
 * the runner mounted as in the embedded default (embedded PGlite in memory, workspaces in a temporary folder).
 *
 * - editor keystroke -> on disk: a person's provider inserts a marker; the time until a read of the file has it
 *   (target p50 < 100 ms; MIRROR_DEBOUNCE_MS is part of it).
 * - file written on disk -> another client's editor: the bench writes the file as a command would; the time until
 *   a second person's document has the change (target p50 < 300 ms).
 *
 * BENCH_TRIALS (default 40) of each. Prints the figures; the last line is one JSON object.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { connectPeer, newTestServer, signUp, type Peer } from '@mimiverse/collab/testing'
import { newTempDir } from '@mimiverse/db/testing'
import { mountRunner, parseRunnerEnv } from '../src/handler'

const trials = Number(process.env.BENCH_TRIALS ?? 40)

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}
const round = (ms: number) => Math.round(ms * 10) / 10

/** Resolves once `done()` holds, checked every `everyMs`; rejects after 10 s. */
async function until(done: () => boolean | Promise<boolean>, everyMs = 1): Promise<void> {
  const deadline = performance.now() + 10_000
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

async function main() {
  const workspaces = await newTempDir('mimi-bench-workspaces-')
  const server = await newTestServer({
    mounts: (deps) => [mountRunner(deps, parseRunnerEnv({ WORKSPACES_DIR: workspaces.path }))],
  })
  const peers: Peer[] = []
  try {
    const ann = await signUp(server.url, 'Ann')
    const project = await ann.api.projects.create.mutate({ name: 'bench' })
    const file = await ann.api.files.create.mutate({
      projectId: project.id,
      path: 'src/main.ts',
      content: '',
    })
    const path = join(workspaces.path, project.id, 'src/main.ts')
    const token = async () => (await ann.api.collab.token.mutate({ projectId: project.id })).token
    // Two of Ann's tabs: the server holds each one's presence to the token's user.
    const user = { id: ann.id, name: ann.name }
    const [editor, watcher] = [1, 2].map(() => {
      const peer = connectPeer({ baseUrl: server.url, docName: file.docName, token, user })
      peers.push(peer)
      return peer
    }) as [Peer, Peer]
    await Promise.all([editor.synced(), watcher.synced()])
    await until(
      () =>
        readFile(path, 'utf8').then(
          () => true,
          () => false,
        ),
      5,
    )

    const toDisk: number[] = []
    for (let i = 0; i < trials; i++) {
      const marker = `k${i};`
      const started = performance.now()
      editor.text.insert(editor.text.length, marker)
      await until(async () => (await readFile(path, 'utf8')).includes(marker))
      toDisk.push(performance.now() - started)
    }

    const toEditor: number[] = []
    for (let i = 0; i < trials; i++) {
      const marker = `\n// written on disk ${i}\n`
      const current = await readFile(path, 'utf8')
      const started = performance.now()
      await writeFile(path, current + marker)
      await until(() => watcher.text.toString().includes(marker))
      toEditor.push(performance.now() - started)
      // Let the mirror settle (the change goes back to disk) before the next write.
      await until(async () => (await readFile(path, 'utf8')) === editor.text.toString(), 5)
    }

    const result = {
      trials,
      keystrokeToDiskP50Ms: round(percentile(toDisk, 50)),
      keystrokeToDiskP99Ms: round(percentile(toDisk, 99)),
      diskToEditorP50Ms: round(percentile(toEditor, 50)),
      diskToEditorP99Ms: round(percentile(toEditor, 99)),
    }
    process.stdout.write(
      `editor keystroke -> on disk: p50 ${result.keystrokeToDiskP50Ms} ms, p99 ${result.keystrokeToDiskP99Ms} ms (target p50 < 100 ms)\n` +
        `file written on disk -> another client's editor: p50 ${result.diskToEditorP50Ms} ms, p99 ${result.diskToEditorP99Ms} ms (target p50 < 300 ms)\n`,
    )
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    for (const p of peers) p.destroy()
    await server.stop()
    await workspaces.remove()
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:workspace failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
