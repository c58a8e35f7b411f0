import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The embedded default (`scripts/embedded.ts`: collab, AI and runner in one process) as its own process. */
export interface BenchServer {
  url: string
  /** Its DATA_DIR (workspaces are under `workspaces/`). */
  dataDir: string
  pid: number
  /** CPU time the server process used so far (user + system), ms. */
  cpuMs(): Promise<number>
  stop(): Promise<void>
}

const EMBEDDED = fileURLToPath(new URL('../../../scripts/embedded.ts', import.meta.url))

/**
 * Starts it on port 0 with a fresh DATA_DIR; `env` adds runner variables, and so do the RUNNER_* variables of
 * the bench's own environment (to try other limits). Resolves once it prints its URL.
 */
export async function startBenchServer(env: Record<string, string>): Promise<BenchServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mimi-bench-workspace-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', EMBEDDED], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AI_WARMUP: 'false',
      SEARCH_INDEXER: 'false',
      ...env,
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('RUNNER_'))),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /Mimiverse is running at (\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)))
  })
  child.stdout!.resume()
  return {
    url,
    dataDir,
    pid: child.pid!,
    async cpuMs() {
      const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
      // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks of 10 ms.
      return (Number(fields[11]) + Number(fields[12])) * 10
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
