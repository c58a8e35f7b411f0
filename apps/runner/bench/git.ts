/**
 * `npm run bench:git`: git in the shared workspace, through the real `/runner/trpc` endpoint of the embedded
 * default (`scripts/embedded.ts` as its own process: real sandbox, real git, the workspace mirror, co-authors from
 * the collab node's authorship).
 *
 * - `git.status` on a project of BENCH_FILES (default 5,000) files, all project files (documents mirrored to
 *   disk) and committed; BENCH_STATUS_CALLS (default 40) calls one after another (target p50 < 150 ms).
 * - commit of 100 changed files: a person's providers change 100 files, they are staged, and `git.commit` is
 *   timed (it flushes the mirror and the authorship, finds co-authors, commits); BENCH_COMMITS rounds (default 5)
 *   (target < 1 s).
 *
 * Prints the figures and the machine's load; the last line is one JSON object.
 */
import { appendFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { createTRPCClient, httpLink } from '@trpc/client'
import { signUp } from '@mimiverse/collab/testing'
import type { RunnerRouter } from '../src/git/index'
import { startBenchServer } from './server'
import { summarize } from './stats'

const files = Number(process.env.BENCH_FILES ?? 5000)
const statusCalls = Number(process.env.BENCH_STATUS_CALLS ?? 40)
const commits = Number(process.env.BENCH_COMMITS ?? 5)
const CHANGED = 100
const CREATE_CONCURRENCY = 8

const progress = (line: string) => process.stderr.write(`bench:git: ${line}\n`)
const pathOf = (i: number) => `src/m${String(Math.floor(i / 100)).padStart(2, '0')}/f${i}.ts`

/** Resolves once `done()` holds, checked every `everyMs`; rejects after `timeoutMs`. */
async function until(done: () => Promise<boolean>, everyMs: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now()
  const result = await fn()
  return [result, performance.now() - started]
}

async function main() {
  const server = await startBenchServer({
    MIRROR_MAX_FILES: String(files + CHANGED),
    RUNNER_MAX_PROCESSES: '256',
  })
  try {
    const ann = await signUp(server.url, 'Ann')
    const projectId = (await ann.api.projects.create.mutate({ name: 'bench' })).id
    const git = createTRPCClient<RunnerRouter>({
      links: [
        httpLink({
          url: `${server.url}/runner/trpc`,
          headers: { authorization: `Bearer ${ann.token}` },
        }),
      ],
    }).git

    const [, createMs] = await timed(async () => {
      for (let at = 0; at < files; at += CREATE_CONCURRENCY) {
        const batch = Array.from({ length: Math.min(CREATE_CONCURRENCY, files - at) }, (_, k) => at + k)
        await Promise.all(
          batch.map((i) =>
            ann.api.files.create.mutate({
              projectId,
              path: pathOf(i),
              content: `export const v${i} = ${i}\n`,
            }),
          ),
        )
      }
    })
    progress(`${files} files created in ${Math.round(createMs)} ms`)
    // The first call builds the workspace (every document written to disk).
    const [, initMs] = await timed(() => git.init.mutate({ projectId }))
    const all = Array.from({ length: files }, (_, i) => pathOf(i))
    progress(`workspace built and git init in ${Math.round(initMs)} ms`)
    await git.stage.mutate({ projectId, paths: all })
    await git.commit.mutate({ projectId, message: 'Initial' })
    progress('initial commit made')
    process.stdout.write(
      `setup: ${files} files created in ${Math.round(createMs)} ms, workspace + init in ${Math.round(initMs)} ms\n`,
    )

    for (let i = 0; i < 3; i++) await git.status.query({ projectId })
    const statusMs: number[] = []
    for (let i = 0; i < statusCalls; i++) {
      const [status, ms] = await timed(() => git.status.query({ projectId }))
      if (status.files.length !== 0)
        throw new Error(`expected a clean tree, got ${status.files.length} changes`)
      statusMs.push(ms)
    }

    // A command (a formatter, say) rewrites 100 files on disk; the mirror reads them into the documents.
    const tree = join(server.dataDir, 'workspaces', projectId)
    const changed = all.slice(0, CHANGED)
    const commitMs: number[] = []
    for (let round = 0; round < commits; round++) {
      for (const path of changed) await appendFile(join(tree, path), `// round ${round}\n`)
      await until(
        async () => (await git.status.query({ projectId })).files.length === changed.length,
        50,
        120_000,
      )
      await git.stage.mutate({ projectId, paths: changed })
      const [commit, ms] = await timed(() => git.commit.mutate({ projectId, message: `Round ${round}` }))
      if (commit.subject !== `Round ${round}`) throw new Error('unexpected commit')
      commitMs.push(ms)
      progress(`commit ${round}: ${Math.round(ms)} ms`)
    }

    const status = summarize(statusMs)
    const commit = summarize(commitMs)
    const load = loadavg().map((l) => Math.round(l * 100) / 100)
    const result = {
      files,
      statusCalls: status.count,
      statusP50Ms: status.p50,
      statusP99Ms: status.p99,
      changedFiles: changed.length,
      commits: commit.count,
      commitP50Ms: commit.p50,
      commitMaxMs: commit.max,
      load1m: load[0],
      load5m: load[1],
    }
    process.stdout.write(
      `git.status, ${files} files: p50 ${status.p50} ms, p99 ${status.p99} ms (target p50 < 150 ms)\n` +
        `git.commit of ${changed.length} changed files: p50 ${commit.p50} ms, max ${commit.max} ms (target < 1 s)\n` +
        `load average: ${load.join(' ')}\n`,
    )
    process.stdout.write(`${JSON.stringify(result)}\n`)
  } finally {
    await server.stop()
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:git failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
  process.exit(1)
})
