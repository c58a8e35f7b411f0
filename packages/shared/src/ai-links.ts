import { httpBatchStreamLink, httpLink, splitLink, type TRPCLink } from '@trpc/client'
import type { AnyTRPCRouter } from '@trpc/server'

/**
 * The links of the AI service's tRPC client, shared by the web app and the completion benchmark so the benchmark
 * measures the transport the IDE uses.
 *
 * Inline completion runs at typing pace, and tRPC's batching costs it: a batch link waits a timer tick to
 * gather calls, and the streaming link frames its one answer as a stream. So the calls made at typing pace go
 * through `httpLink`, one plain POST each (about 3 ms less per call on loopback); everything else, `ai.chat`
 * above all (an async iterable of events), keeps the streaming link. Procedure names and their input and output
 * are the same over both.
 */
export const UNBATCHED_AI_PROCEDURES: ReadonlySet<string> = new Set(['ai.complete', 'ai.completionEvent'])

export interface AiLinkOptions {
  /** The AI service's tRPC endpoint: `/ai/trpc` in the browser (same origin), a full URL elsewhere. */
  url: string
  /** Extra request headers (`authorization` for non-browser clients; the browser sends the cookie itself). */
  headers?: () => Record<string, string>
}

export function aiLinks<TRouter extends AnyTRPCRouter>(opts: AiLinkOptions): TRPCLink<TRouter>[] {
  // The AI API has no transformer (plain JSON); a generic router leaves tRPC unable to see that, hence `never`.
  const http = { url: opts.url, headers: opts.headers ?? (() => ({})) } as never
  return [
    splitLink<TRouter>({
      condition: (op) => UNBATCHED_AI_PROCEDURES.has(op.path),
      true: httpLink<TRouter>(http),
      false: httpBatchStreamLink<TRouter>({ ...(http as object), maxItems: 1 } as never),
    }),
  ]
}
