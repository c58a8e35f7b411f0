import { describe, expect, it } from 'vitest'
import { LatestRequest } from './latest-request'

/** A call that resolves (or fails) only when told to, recording whether it was aborted. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ([resolve, reject] = [res, rej]))
  return { promise, resolve, reject }
}

describe('LatestRequest', () => {
  it('reports an older answer that arrives last as stale, and aborts it', async () => {
    const latest = new LatestRequest()
    const slow = deferred<string>()
    const fast = deferred<string>()
    let slowSignal: AbortSignal | undefined
    const first = latest.run((signal) => ((slowSignal = signal), slow.promise))
    const second = latest.run(() => fast.promise)
    expect(slowSignal?.aborted).toBe(true)
    fast.resolve('new')
    slow.resolve('old')
    expect(await second).toEqual({ kind: 'done', value: 'new' })
    expect(await first).toEqual({ kind: 'stale' })
  })

  it('passes on the failure of the newest request, and ignores one cancelled', async () => {
    const latest = new LatestRequest()
    expect(await latest.run(() => Promise.reject(new Error('down')))).toEqual({
      kind: 'failed',
      error: new Error('down'),
    })
    const pending = deferred<string>()
    const run = latest.run(() => pending.promise)
    latest.cancel()
    pending.reject(new Error('aborted'))
    expect(await run).toEqual({ kind: 'stale' })
  })
})
