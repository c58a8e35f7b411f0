import { typedSince } from '@mimiverse/shared'
import { BackendError, BackendFailure } from './backend-error'

/**
 * Completions in flight, so a request can re-attach to a model stream instead of starting another.
 *
 * Flow: a request that misses the cache starts a flight (one model stream) and subscribes to it. A later
 * request for the same document and suffix whose prefix continues the flight's (`typedSince`: the editor sends
 * a sliding window of the text before the cursor) by exactly text the stream has produced so far (the user typed what the model is writing) subscribes too and gets the rest. A
 * subscriber whose caller goes away unsubscribes; the last one to leave aborts the stream, down to Ollama,
 * unless the flight is `keepAlive` (the model is cold: the first request is let finish so it loads, and its
 * answer is cached).
 */
export interface Flight {
  readonly docName: string
  readonly prefix: string
  readonly suffix: string
  /** Raw model text so far. */
  readonly produced: string
  readonly keepAlive: boolean
}

export interface FlightStart {
  docName: string
  prefix: string
  suffix: string
  keepAlive: boolean
  /** Runs the model stream; calls `onText` with each piece; resolves to the whole raw text. */
  run(signal: AbortSignal, onText: (piece: string) => void): Promise<string>
}

interface Entry extends Flight {
  produced: string
  subscribers: number
  result: Promise<string>
  controller: AbortController
}

export interface FlightRegistry {
  start(opts: FlightStart): Flight
  /** A flight the request can re-attach to, and the text the user typed since it started. */
  find(docName: string, prefix: string, suffix: string): { flight: Flight; typed: string } | undefined
  /** Waits for the flight's raw text; `signal` unsubscribes (rejecting with an Aborted BackendError). */
  join(flight: Flight, signal: AbortSignal | undefined): Promise<string>
  /** Flights running now, with their text so far and how many requests wait on each (tests, debugging). */
  list(): { prefix: string; produced: string; subscribers: number }[]
}

export function createFlightRegistry(): FlightRegistry {
  const flights = new Set<Entry>()
  const leave = (e: Entry) => {
    e.subscribers -= 1
    if (e.subscribers === 0 && !e.keepAlive) e.controller.abort(new Error('no caller is waiting'))
  }
  return {
    start(opts) {
      const controller = new AbortController()
      const entry: Entry = { ...opts, produced: '', subscribers: 0, controller, result: Promise.resolve('') }
      entry.result = opts.run(controller.signal, (piece) => (entry.produced += piece))
      entry.result.then(
        () => flights.delete(entry),
        () => flights.delete(entry),
      )
      flights.add(entry)
      return entry
    },
    find(docName, prefix, suffix) {
      for (const f of flights) {
        if (f.docName !== docName || f.suffix !== suffix) continue
        const typed = typedSince(f.prefix, prefix, f.produced.length)
        if (typed !== null && f.produced.startsWith(typed)) return { flight: f, typed }
      }
      return undefined
    },
    join(flight, signal) {
      const e = flight as Entry
      e.subscribers += 1
      return new Promise<string>((resolve, reject) => {
        const onAbort = () => {
          leave(e)
          reject(new BackendError('ollama', BackendFailure.Aborted, 'request cancelled'))
        }
        if (signal?.aborted) return onAbort()
        signal?.addEventListener('abort', onAbort, { once: true })
        e.result.then(
          (text) => {
            signal?.removeEventListener('abort', onAbort)
            e.subscribers -= 1
            resolve(text)
          },
          (err: unknown) => {
            signal?.removeEventListener('abort', onAbort)
            e.subscribers -= 1
            reject(err instanceof Error ? err : new Error(String(err)))
          },
        )
      })
    },
    list: () =>
      [...flights].map((f) => ({ prefix: f.prefix, produced: f.produced, subscribers: f.subscribers })),
  }
}
