import { describe, expect, it } from 'vitest'
import { createCollabMetrics, type LiveState } from './metrics'

const live = (databaseHeap?: LiveState['databaseHeap']): LiveState => ({
  connections: () => 2,
  documents: () => 1,
  pendingAppends: () => 0,
  sockets: () => 2,
  unauthenticatedBytes: () => 0,
  logSize: () => Promise.resolve({ rows: 3, bytes: 30 }),
  databaseHeap,
})

describe('collab metrics', () => {
  it("report the embedded database thread's heap, and only where there is one", async () => {
    const embedded = await createCollabMetrics(live(() => Promise.resolve(12_345))).registry.metrics()
    expect(embedded).toMatch(/^mimi_collab_database_thread_heap_bytes 12345$/m)
    const server = await createCollabMetrics(live()).registry.metrics()
    expect(server).not.toContain('mimi_collab_database_thread_heap_bytes')
    expect(server).toMatch(/^mimi_collab_wal_rows 3$/m)
  })

  it('still answer a scrape when the database thread fails or does not answer', async () => {
    let answer: () => Promise<number> = () => Promise.resolve(7)
    const metrics = createCollabMetrics(live(() => answer()))
    expect(await metrics.registry.metrics()).toMatch(/^mimi_collab_database_thread_heap_bytes 7$/m)
    answer = () => Promise.reject(new Error('the embedded database has stopped'))
    const failed = await metrics.registry.metrics()
    // The other gauges are there, and the heap keeps its last value.
    expect(failed).toMatch(/^mimi_collab_connections 2$/m)
    expect(failed).toMatch(/^mimi_collab_database_thread_heap_bytes 7$/m)
    answer = () => new Promise<number>(() => {})
    const late = await metrics.registry.metrics()
    expect(late).toMatch(/^mimi_collab_documents_open 1$/m)
    expect(late).toMatch(/^mimi_collab_database_thread_heap_bytes 7$/m)
  })
})
