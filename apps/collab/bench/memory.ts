import type { Child } from './child-process'
import { connectInspector } from './inspector'

/**
 * Server memory at one moment, after a forced full garbage collection, so that two readings differ by what
 * is live (open documents, connections) rather than by when V8 last collected: without it, VmRSS moved by
 * tens of MiB between readings and "memory per document" came out negative.
 */
export interface MemoryReading {
  /** VmRSS from /proc/<pid>/status: everything, PGlite's WebAssembly memory included. */
  rssKiB: number
  /** Live JS heap (V8 `usedSize`): Yjs documents, Hocuspocus and connection state. */
  heapKiB: number
}

export async function readMemory(server: Child): Promise<MemoryReading> {
  if (!server.inspectorUrl) throw new Error('the server was started without --inspect')
  const inspector = await connectInspector(server.inspectorUrl)
  try {
    await inspector.call('HeapProfiler.collectGarbage')
    const heap = await inspector.call<{ usedSize: number }>('Runtime.getHeapUsage')
    return { rssKiB: await server.rssKiB(), heapKiB: heap.usedSize / 1024 }
  } finally {
    inspector.close()
  }
}
