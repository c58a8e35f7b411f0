import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const web = fileURLToPath(new URL('..', import.meta.url))
const shared = fileURLToPath(new URL('../../../packages/shared/src', import.meta.url))

/** Newest modification time under `path` (a file or a folder), in ms. */
function newest(path: string): number {
  if (!existsSync(path)) return 0
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs)
}

/**
 * The e2e tests drive the built app as the server serves it. Build it when dist is missing or older than any
 * input (sources, the shared package, configs), so `npm test` always tests the current code.
 */
export default async function setup(): Promise<void> {
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(web, p))
  const built = newest(join(web, 'dist', 'index.html'))
  if (built > Math.max(...inputs.map(newest), newest(shared))) return
  // Vitest sets NODE_ENV=test and Vite would honour it, bundling React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ root: web, configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
}
