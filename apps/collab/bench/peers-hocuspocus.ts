import { Server } from '@hocuspocus/server'

/**
 * Plain `@hocuspocus/server` (the version we build on) in memory, no extensions: the baseline of
 * `bench:peers`. Prints its URL once listening; stops on SIGTERM.
 */
const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false })
await server.listen()
const address = server.httpServer.address()
const port = typeof address === 'object' && address ? address.port : 0
process.stdout.write(`peer server listening at http://127.0.0.1:${port}\n`)
process.once('SIGTERM', () => void server.destroy().then(() => process.exit(0)))
