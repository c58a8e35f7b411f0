import { Duplex } from 'node:stream'
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import type pg from 'pg'

/** The embedded database on its thread, and how `pg` connects to it. */
export interface EmbeddedPostgres {
  /** Pool settings for `pg`: each connection is a MessagePort pair to the database thread. */
  connection: pg.PoolConfig
  /**
   * Bytes of JavaScript heap in use on the database thread (the engine's WebAssembly memory is not in it). With
   * `collect`, a full garbage collection runs first, so the figure is what is live: for tests and diagnostics,
   * as it pauses the database for as long as the collection takes.
   */
  heapUsed(options?: { collect?: boolean }): Promise<number>
  /** Closes the database (its writes reach the disk) and ends its thread; idempotent. */
  close(): Promise<void>
}

export interface EmbeddedPostgresOptions {
  dataDir: string
  /** Called once if the database thread dies while open; by default the process fails with the reason. */
  onLost?: (error: Error) => void
  /** Longest wait for the database to open (a first start creates it). Default 120 s. */
  startTimeoutMs?: number
}

const WORKER = new URL('./pglite-worker.mjs', import.meta.url)

type FromWorker = { ready: true } | { closed: true; error?: string } | { error: string } | { heap: number }

const describe = (m: FromWorker) => ('error' in m && m.error) || 'no reason given'

/**
 * Starts the embedded PGlite database on a worker thread (`pglite-worker.mjs`). The caller talks to it with the
 * `pg` driver, the production code path, over in-process MessagePorts instead of a socket: nothing outside the
 * process can reach it, and no bytes cross the kernel.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const timeoutMs = options.startTimeoutMs ?? 120_000
  const worker = new Worker(WORKER, { workerData: { dataDir: options.dataDir } })
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the embedded database did not open within ${timeoutMs} ms`)),
        timeoutMs,
      )
      const settle = (error?: Error) => {
        clearTimeout(timer)
        worker.off('message', onMessage).off('error', onError).off('exit', onExit)
        if (error) reject(error)
        else resolve()
      }
      const onMessage = (m: FromWorker) =>
        settle('ready' in m ? undefined : new Error(`the embedded database did not open: ${describe(m)}`))
      const onExit = (code: number) => settle(new Error(`the embedded database thread exited (code ${code})`))
      const onError = (e: Error) =>
        settle(
          new Error(`the embedded database did not open: ${e.message || String(e) || 'its thread failed'}`),
        )
      worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    })
  } catch (e: unknown) {
    // A thread that failed to open reports it, then its throw arrives as an 'error' event too: already told.
    worker.on('error', () => {})
    await worker.terminate()
    throw e
  }

  let closing: Promise<void> | undefined
  const lost = (error: Error) => {
    if (closing) return
    const report = new Error(`the embedded database stopped: ${error.message}`)
    if (options.onLost) options.onLost(report)
    else
      process.nextTick(() => {
        throw report
      })
  }
  // Answers come in the order the questions were posted.
  const heapAnswers: { resolve(bytes: number): void; reject(e: Error): void }[] = []
  let exited = false
  worker.once('exit', () => {
    exited = true
    for (const answer of heapAnswers.splice(0)) answer.reject(new Error('the embedded database has stopped'))
  })
  worker.on('error', lost)
  worker.on('exit', (code) => lost(new Error(`its thread exited with code ${code}`)))
  worker.on('message', (m: FromWorker) => {
    if ('heap' in m) heapAnswers.shift()?.resolve(m.heap)
  })
  const heapUsed = ({ collect = false } = {}) =>
    new Promise<number>((resolve, reject) => {
      if (closing || exited) return reject(new Error('the embedded database is closed'))
      heapAnswers.push({ resolve, reject })
      worker.postMessage({ heap: { collect } })
    })

  const close = async () => {
    // A thread that already died (see `onLost`) has nothing left to write.
    if (exited) return
    const closed = new Promise<void>((resolve) => {
      worker.on('message', (m: FromWorker) => {
        if ('closed' in m) resolve()
      })
      worker.once('exit', () => resolve())
    })
    worker.postMessage({ close: true })
    await closed
    await worker.terminate()
  }
  return {
    connection: {
      user: 'postgres',
      database: 'postgres',
      stream: () => {
        const { port1, port2 } = new MessageChannel()
        worker.postMessage({ connect: port2 }, [port2])
        return new PortStream(port1)
      },
    },
    heapUsed,
    close: () => (closing ??= close()),
  }
}

/**
 * The socket-shaped end of a connection, as `pg` drives one: bytes out are posted to the database thread,
 * bytes posted back are read. `connect`, `setNoDelay` and `setKeepAlive` are the socket calls `pg` makes.
 */
class PortStream extends Duplex {
  constructor(private readonly port: MessagePort) {
    super()
    port.on('message', (m: Uint8Array | { error: string }) => {
      if (m instanceof Uint8Array) this.push(Buffer.from(m.buffer, m.byteOffset, m.byteLength))
      else this.destroy(new Error(`the embedded database failed: ${m.error}`))
    })
    port.on('close', () => this.push(null))
  }

  connect(): this {
    process.nextTick(() => this.emit('connect'))
    return this
  }

  setNoDelay(): this {
    return this
  }

  setKeepAlive(): this {
    return this
  }

  /** `pg`'s pool unrefs idle connections so that they do not keep the process alive. */
  ref(): this {
    this.port.ref()
    return this
  }

  unref(): this {
    this.port.unref()
    return this
  }

  override _read(): void {}

  /**
   * `pg` writes each protocol message of a query (Parse, Bind, Describe, Execute, Sync) on its own. They are
   * posted together at the end of the tick: one message between threads, and one pass of the database over
   * them, instead of five (profiled under load: posting was a tenth of the main thread).
   */
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.pending.push(chunk)
    if (this.pending.length === 1) process.nextTick(this.flush)
    done()
  }

  private pending: Buffer[] = []

  private readonly flush = () => {
    const chunks = this.pending
    if (chunks.length === 0) return
    this.pending = []
    // One exact copy, handed over rather than cloned: a chunk is often a view into a larger buffer (the driver's
    // serializer, Buffer's pool), all of which a structured clone would copy.
    let size = 0
    for (const chunk of chunks) size += chunk.byteLength
    const message = new Uint8Array(size)
    let at = 0
    for (const chunk of chunks) {
      message.set(chunk, at)
      at += chunk.byteLength
    }
    this.port.postMessage(message, [message.buffer])
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush()
    this.port.close()
    done()
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.pending = []
    this.port.close()
    done(error)
  }
}
