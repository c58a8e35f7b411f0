import { WebSocketServer } from 'ws'

/**
 * The floor: a bare `ws` server that sends every binary message straight back, run as its own process like
 * the collab server so both are measured across the same process boundary and loopback hops. Prints
 * `echo listening on <port>` when ready; exits on SIGTERM.
 */
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }))
})

wss.on('listening', () => {
  const address = wss.address()
  const port = typeof address === 'object' && address ? address.port : address
  process.stdout.write(`echo listening on ${port}\n`)
})

process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate()
  wss.close(() => process.exit(0))
})
