import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setupWSConnection } from '@y/websocket-server/utils'
import { WebSocketServer } from 'ws'

/**
 * The reference y-websocket server (`@y/websocket-server`, in memory, no persistence), for `bench:peers`. Every
 * path is a room, as in its own `server.js`. Prints its URL once listening; stops on SIGTERM.
 */
const wss = new WebSocketServer({ noServer: true })
const http = createServer((_req, res) => res.writeHead(200).end('ok'))
wss.on('connection', (ws, req) => setupWSConnection(ws, req))
http.on('upgrade', (req, socket, head) =>
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
)
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`peer server listening at http://127.0.0.1:${(http.address() as AddressInfo).port}\n`)
})
process.once('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate()
  http.close(() => process.exit(0))
})
