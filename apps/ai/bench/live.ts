import { createTRPCClient, httpLink } from '@trpc/client'
import { connectPeer, newTestServer, signUp } from '@mimiverse/collab/testing'
import { parseEnv } from '../src/env'
import { createAiHandler } from '../src/handler'
import type { AppRouter } from '../src/router'

/**
 * Edit-to-searchable time in the embedded layout (the AI handler mounted on a collab server, default search
 * settings): a real collab client types a new word into a file, one character every `keyMs`, and a search
 * client polls `search.query` until the file is found by that word. Timed from the last keystroke.
 */
export async function editToSearchable(o: { trials: number; keyMs: number; ollamaHost: string }) {
  const server = await newTestServer({
    mounts: ({ database, log }) => [
      createAiHandler({
        // The search client polls faster than a person types queries: lift the per-user limit.
        env: parseEnv({
          OLLAMA_HOST: o.ollamaHost,
          AI_WARMUP: 'false',
          LOG_LEVEL: 'silent',
          AI_SEARCH_PER_MINUTE: '100000',
        }),
        database,
        log,
        processMetrics: false,
      }),
    ],
  })
  try {
    const owner = await signUp(server.url, 'Owner')
    const project = await owner.api.projects.create.mutate({ name: 'live' })
    const projectId = project.id
    const file = await owner.api.files.create.mutate({
      projectId,
      path: 'src/live.ts',
      content: 'export function live() {\n  return 1\n}\n',
    })
    const search = createTRPCClient<AppRouter>({
      links: [
        httpLink({ url: `${server.url}/ai/trpc`, headers: { authorization: `Bearer ${owner.token}` } }),
      ],
    })
    const peer = connectPeer({
      baseUrl: server.url,
      docName: file.docName,
      token: async () => (await owner.api.collab.token.mutate({ projectId })).token,
    })
    await peer.synced()
    const times: number[] = []
    for (let trial = 0; trial < o.trials; trial++) {
      const word = `quokka${trial}zeta${Math.random().toString(36).slice(2, 7)}`
      const line = `\n// ${word}\n`
      for (const ch of line) {
        peer.text.insert(peer.text.length, ch)
        await sleep(o.keyMs)
      }
      const typed = performance.now()
      for (;;) {
        const { results } = await search.search.query.query({ projectId, q: word, mode: 'text' })
        if (results.some((r) => r.path === 'src/live.ts' && r.snippet.includes(word))) break
        await sleep(20)
        if (performance.now() - typed > 30_000) throw new Error(`"${word}" was never found`)
      }
      times.push(performance.now() - typed)
    }
    peer.destroy()
    return times
  } finally {
    await server.stop()
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
