// @ts-check
/**
 * The embedded database's thread: PGlite (PostgreSQL in WebAssembly) on disk in `workerData.dataDir`, speaking
 * the PostgreSQL wire protocol over MessagePorts, for `embedded.ts`.
 *
 * PGlite runs each query synchronously on the thread that calls it. On the server's main thread, every commit of
 * the durable log stopped all sockets for its duration (profiled under load: 40% of the main thread). Here it
 * runs beside the event loop, on another core when there is one.
 *
 * Each connection is a MessagePort carrying the raw bytes a `pg` client would send over a socket. Messages of
 * every connection run one at a time, in arrival order; while a connection is inside a transaction, only its own
 * messages run (PGlite is a single session). A connection that goes away inside a transaction is rolled back.
 *
 * Plain JavaScript that imports only installed packages, so the same file runs from the sources (tsx, vitest)
 * and next to a production bundle.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { vector } from '@electric-sql/pglite-pgvector'

if (!parentPort) throw new Error('pglite-worker.mjs runs as a worker thread')
const control = parentPort
const SSL_REQUEST = 80877103
const CANCEL_REQUEST = 80877102
const TERMINATE = 0x58

/** @type {PGlite} */
let db
try {
  db = await PGlite.create({ dataDir: workerData.dataDir, extensions: { vector } })
} catch (e) {
  const error = /** @type {Error} */ (e)
  control.postMessage({ error: error?.message || String(error) || `cannot open ${workerData.dataDir}` })
  throw e
}

/** @type {{ port: import('node:worker_threads').MessagePort, message: Uint8Array }[]} */
const queue = []
/** The connection whose transaction is open: only its messages may run until it ends. */
/** @type {import('node:worker_threads').MessagePort | undefined} */
let owner
let running = false
let closing = false
/** @type {WeakSet<import('node:worker_threads').MessagePort>} */
const gone = new WeakSet()

/**
 * Runs protocol messages and returns the engine's answer, copied out of its memory as it writes it.
 *
 * Not `execProtocolRaw`: PGlite 0.5 also parses every answer it returns that way into message objects and keeps
 * them in a list that only its own `query`/`exec` reset, so under the durable log's INSERTs the thread's heap
 * grew by about 0.4 MB/s at 300 typing users (measured: 31 -> 234 MB in eight minutes) and never shrank. The
 * stream form hands the answer to us unparsed and keeps nothing, which also saves the parsing: `pg` parses the
 * answer anyway, on the other end of the port.
 */
async function execute(/** @type {Uint8Array} */ message) {
  /** @type {Uint8Array[]} */
  const chunks = []
  let length = 0
  await db.execProtocolRawStream(message, {
    // A view into the engine's memory, valid only during the call.
    onRawData: (chunk) => {
      chunks.push(chunk.slice())
      length += chunk.byteLength
    },
  })
  if (chunks.length === 1) return chunks[0]
  const answer = new Uint8Array(length)
  let offset = 0
  for (const chunk of chunks) {
    answer.set(chunk, offset)
    offset += chunk.byteLength
  }
  return answer
}

async function run() {
  if (running) return
  running = true
  try {
    for (;;) {
      if (owner && gone.has(owner)) {
        owner = undefined
        await db.exec('rollback')
      }
      const i = owner ? queue.findIndex((q) => q.port === owner) : 0
      if (i < 0 || queue.length === 0) break
      const [{ port, message }] = queue.splice(i, 1)
      try {
        const response = await execute(message)
        // A buffer of its own, so it can be handed over rather than cloned.
        if (response.byteLength > 0) port.postMessage(response, [response.buffer])
      } catch (e) {
        // PGlite reports SQL errors in the protocol; a throw is the engine failing: end this connection.
        port.postMessage({ error: String(/** @type {Error} */ (e)?.message ?? e) })
        port.close()
      }
      owner = db.isInTransaction() ? port : undefined
    }
  } finally {
    running = false
  }
}

/** Splits a connection's bytes into protocol messages (the first one is untyped: the startup packet). */
function serve(/** @type {import('node:worker_threads').MessagePort} */ port) {
  let buffer = Buffer.alloc(0)
  let started = false
  port.on('message', (/** @type {Uint8Array} */ chunk) => {
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk])
    for (;;) {
      if (!started) {
        if (buffer.length < 8) break
        const length = buffer.readInt32BE(0)
        // Not a PostgreSQL client: end the connection rather than read it wrongly.
        if (length < 8) return void port.close()
        if (buffer.length < length) break
        const code = buffer.readInt32BE(4)
        const packet = buffer.subarray(0, length)
        buffer = buffer.subarray(length)
        if (code === SSL_REQUEST) port.postMessage(Buffer.from('N'))
        else if (code !== CANCEL_REQUEST) {
          started = true
          queue.push({ port, message: new Uint8Array(packet) })
        }
        continue
      }
      // The complete messages of a chunk run in one pass of the engine, as they would from a socket; the
      // engine only looks for Terminate ('X') first in its input, so that one runs alone.
      let end = 0
      for (;;) {
        if (buffer.length - end < 5) break
        const length = 1 + buffer.readInt32BE(end + 1)
        if (length < 5) return void port.close()
        if (buffer.length - end < length) break
        const terminate = buffer[end] === TERMINATE
        if (terminate && end > 0) break
        end += length
        if (terminate) break
      }
      if (end === 0) break
      queue.push({ port, message: new Uint8Array(buffer.subarray(0, end)) })
      buffer = buffer.subarray(end)
    }
    void run()
  })
  port.on('close', () => {
    gone.add(port)
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].port === port) queue.splice(i, 1)
    void run()
  })
}

/** @type {(() => void) | undefined} */
let collectGarbage

/** This thread's JavaScript heap in use, in bytes; after a full collection if asked (tests, diagnostics). */
function heapUsed(/** @type {boolean} */ collect) {
  if (collect) {
    if (!collectGarbage) {
      // Process-wide: contexts made later on any thread see `gc` too. Only asked for by tests and diagnostics.
      setFlagsFromString('--expose-gc')
      collectGarbage = runInNewContext('gc')
    }
    collectGarbage?.()
  }
  return getHeapStatistics().used_heap_size
}

control.on(
  'message',
  (
    /** @type {{ connect?: import('node:worker_threads').MessagePort, close?: true, heap?: { collect: boolean } }} */ m,
  ) => {
    if (m.heap) control.postMessage({ heap: heapUsed(m.heap.collect) })
    if (m.connect && !closing) serve(m.connect)
    if (m.close && !closing) {
      closing = true
      // Closing the database writes what it still holds to the disk.
      db.close().then(
        () => control.postMessage({ closed: true }),
        (e) => control.postMessage({ closed: true, error: String(e?.message ?? e) }),
      )
    }
  },
)
control.postMessage({ ready: true })
