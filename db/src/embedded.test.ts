import { afterEach, describe, expect, it } from 'vitest'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded'
import { newTempDir } from './testing'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function start(): Promise<EmbeddedPostgres> {
  const dir = await newTempDir()
  cleanups.push(dir.remove)
  const embedded = await startEmbeddedPostgres({ dataDir: dir.path })
  cleanups.push(() => embedded.close())
  return embedded
}

async function connect(embedded: EmbeddedPostgres): Promise<pg.Client> {
  const client = new pg.Client(embedded.connection)
  await client.connect()
  return client
}

describe('the embedded database thread', () => {
  it('answers after a failed statement, and keeps other connections out of an open transaction', async () => {
    const embedded = await start()
    const a = await connect(embedded)
    const b = await connect(embedded)
    cleanups.push(
      () => b.end(),
      () => a.end(),
    )
    await a.query('create table t (id int primary key)')
    await a.query('insert into t values (1)')
    await expect(a.query('insert into t values (1)')).rejects.toThrow(/duplicate key/)
    await a.query('begin')
    await a.query('insert into t values ($1)', [2])
    // B's query waits for A's transaction instead of running inside it.
    const seenByB = b.query('select count(*)::int as n from t')
    await a.query('insert into t values ($1)', [3])
    await a.query('rollback')
    expect((await seenByB).rows[0]).toEqual({ n: 1 })
  })

  it('rolls back the transaction of a connection that went away, and serves the next one', async () => {
    const embedded = await start()
    const a = await connect(embedded)
    await a.query('create table t (id int primary key)')
    await a.query('begin')
    await a.query('insert into t values (1)')
    // The connection is dropped inside its transaction (a crashed client, a pool discarding it).
    a.on('error', () => {}) // "Connection terminated unexpectedly": expected here
    const ended = new Promise((resolve) => a.once('end', resolve))
    ;(a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()
    await ended
    const b = await connect(embedded)
    cleanups.push(() => b.end())
    expect((await b.query('select count(*)::int as n from t')).rows[0]).toEqual({ n: 0 })
    await b.query('insert into t values (1)')
  })

  it('keeps nothing of the answers it returns: its heap does not grow with the queries it runs', async () => {
    const embedded = await start()
    const client = await connect(embedded)
    cleanups.push(() => client.end())
    const thousandRows = 'select g, repeat($1, 20) as pad from generate_series(1, 1000) g'
    // The first queries allocate what the engine and the thread keep for good (caches, buffers).
    for (let i = 0; i < 20; i++) await client.query(thousandRows, ['x'])
    const before = await embedded.heapUsed({ collect: true })
    for (let i = 0; i < 200; i++) await client.query(thousandRows, ['x'])
    const grown = (await embedded.heapUsed({ collect: true })) - before
    // PGlite's raw protocol call kept every answer it returned, parsed, for good: 200 of these held 37 MB.
    expect(grown).toBeLessThan(2 * 1024 * 1024)
    await client.end()
    await embedded.close()
    await expect(embedded.heapUsed()).rejects.toThrow(/closed/)
  })

  it('keeps what was committed across a close and a reopen of the same folder', async () => {
    const dir = await newTempDir()
    cleanups.push(dir.remove)
    const first = await startEmbeddedPostgres({ dataDir: dir.path })
    const a = await connect(first)
    await a.query('create table t (v text)')
    await a.query('insert into t values ($1)', ['kept'])
    await a.end()
    await first.close()
    await first.close() // idempotent
    const second = await startEmbeddedPostgres({ dataDir: dir.path })
    cleanups.push(() => second.close())
    const b = await connect(second)
    cleanups.push(() => b.end())
    expect((await b.query('select v from t')).rows).toEqual([{ v: 'kept' }])
  })

  it('fails to start with the reason when the folder cannot hold a database', async () => {
    const dir = await newTempDir()
    cleanups.push(dir.remove)
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${dir.path}/not-a-folder`, 'x')
    await expect(startEmbeddedPostgres({ dataDir: `${dir.path}/not-a-folder` })).rejects.toThrow(
      /embedded database/,
    )
  })
})
