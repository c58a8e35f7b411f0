import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const appDir = fileURLToPath(new URL('../..', import.meta.url))

export interface ServerProcess {
  url: string
  child: ChildProcess
  /** Everything the process wrote to stdout and stderr so far (for failure messages). */
  output(): string
  /** Resolves when the process has exited. */
  exited: Promise<number | null>
}

/**
 * Runs `src/main.ts` — exactly what `npm start` runs — as a child process on a free port and resolves with its
 * URL once it prints it. Used where a test must kill the real process (SIGKILL) or measure it from outside.
 */
export function spawnServer(
  env: Record<string, string>,
  /** Node arguments; the default runs the sources through tsx, as `npm start` does. */
  args: string[] = ['--import', 'tsx', 'src/main.ts'],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, INIT_CWD: appDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /Mimiverse is running at (\S+)/.exec(out)
      if (m?.[1]) resolve({ url: m[1], child, output: () => out, exited })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)))
  })
}
