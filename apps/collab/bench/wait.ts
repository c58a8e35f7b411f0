/**
 * Bounded waiting. Every wait in the bench is for an event (a line printed, a socket message, a provider
 * event) and has a deadline, so a stuck phase fails the run with a message instead of hanging it.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

/** Something that emits events the way Hocuspocus providers and Yjs docs do. */
interface Emitter {
  on(event: string, fn: () => void): unknown
  off(event: string, fn: () => void): unknown
}

/** Resolves once `done()` holds, checking again after each `event` of `source`. */
export function until(source: Emitter, event: string, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve()
    const check = () => {
      if (!done()) return
      source.off(event, check)
      resolve()
    }
    source.on(event, check)
  })
}
