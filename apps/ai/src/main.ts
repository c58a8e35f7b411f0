import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { migrate, openDatabase } from '@mimiverse/db'
import { closeOnSignals, createLogger } from '@mimiverse/server-kit'
import { parseEnv } from './env'
import { createAiHandler } from './handler'

/**
 * The AI service on its own port (AI_PORT, default 3001), for production. It shares the PostgreSQL database
 * of the collab servers (sessions, memberships, documents), so DATABASE_URL is required: the embedded PGlite
 * database belongs to the collab process, which mounts the same handler itself in the `npm start` default.
 */
async function main() {
  const env = parseEnv()
  const log = createLogger(env.LOG_LEVEL, { service: 'ai' })
  if (!env.DATABASE_URL) {
    throw new Error(
      'DATABASE_URL is required to run the AI service on its own (`npm start` already serves it at /ai)',
    )
  }
  if (env.COLLAB_URL && !env.SECRET) {
    throw new Error(
      'SECRET (the collab server’s) is required with COLLAB_URL: the agent signs its collab tokens',
    )
  }
  if (!env.COLLAB_URL) log.warn('COLLAB_URL is not set: the AI agent is disabled')
  const database = await openDatabase({ url: env.DATABASE_URL })
  await migrate(database)
  const ai = createAiHandler({ env, database, log })
  const server = createServer((req, res) => {
    if (ai.matches(req.url)) return ai.handle(req, res)
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(env.AI_PORT, env.AI_HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  log.info('listening', { port, ollama: env.OLLAMA_HOST, triton: env.TRITON_URL ?? null })

  closeOnSignals(log, async () => {
    server.close()
    server.closeAllConnections()
    await ai.close()
    await database.close()
  })
}

main().catch((e: unknown) => {
  process.stderr.write(`The AI service failed to start: ${e instanceof Error ? e.message : String(e)}\n`)
  process.exit(1)
})
