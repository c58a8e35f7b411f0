import { describe, expect, it } from 'vitest'
import { BackendError } from '../src/services/backend-error'
import { createTritonBackend } from '../src/services/triton'
import { deadAddress, newTriton, onCleanup } from './fixtures'

function client(url: string, timeoutMs = 2000) {
  const c = createTritonBackend({ url, timeoutMs })
  onCleanup(() => c.close())
  return c
}

async function failureOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
    return undefined
  } catch (e: unknown) {
    return e instanceof BackendError ? e.failure : `not a BackendError: ${String(e)}`
  }
}

describe('Triton client against a loopback GRPCInferenceService', () => {
  it('checks liveness, readiness and model readiness', async () => {
    const triton = await newTriton({ ready: false })
    const c = client(triton.address)
    expect(await c.serverLive()).toBe(true)
    expect(await c.serverReady()).toBe(false)
    triton.ready = true
    expect(await c.serverReady()).toBe(true)
    expect(await c.modelReady('nomic-embed-text')).toBe(true)
    expect(await c.modelReady('other')).toBe(false)
  })

  it('sends texts as one BYTES tensor and reads FP32 vectors from raw little-endian output', async () => {
    const triton = await newTriton({ dimensions: 4 })
    const vectors = await client(triton.address).embed('nomic-embed-text', ['héllo', '', 'a longer text'])
    expect(triton.embedded).toEqual([['héllo', '', 'a longer text']])
    // The double answers row r with 1 at index r and length/1000 elsewhere, as 32-bit floats.
    const f = (n: number) => Math.fround(n / 1000)
    expect(vectors).toEqual([
      [1, f(5), f(5), f(5)],
      [0, 1, 0, 0],
      [f(13), f(13), 1, f(13)],
    ])
  })

  it('gives every call a deadline, and reports a server that is down', async () => {
    const triton = await newTriton({ stall: true })
    // The double never answers: without the deadline this call would hang until the test's own timeout.
    expect(await failureOf(client(triton.address, 200).embed('nomic-embed-text', ['x']))).toBe('timeout')
    expect(await failureOf(client(await deadAddress(), 1000).serverReady())).toMatch(/unreachable|timeout/)
  })
})
