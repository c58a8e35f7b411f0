import { createTRPCClient, httpBatchStreamLink } from '@trpc/client'
import type { AppRouter } from '../src/router'

/** The AI API's tRPC client, as the web app builds it (streamed batches over HTTP). */
export function aiClient(url: string, token?: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchStreamLink({
        url: `${url}/ai/trpc`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
    ],
  })
}
