import { createTRPCClient } from '@trpc/client'
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'
import type { AppRouter as AiRouter } from '@mimiverse/ai/router'
import { aiLinks } from '@mimiverse/shared/ai-links'

/**
 * The AI service client (`/ai/trpc`, same origin: the session cookie travels by itself). `ai.chat` is a mutation
 * whose result is an async iterable of events, so it needs the streaming link; inline completion goes
 * unbatched (see `aiLinks`). Plain JSON, no transformer. Aborting a call (`{ signal }`) closes the model
 * request on the server.
 */
export const aiApi = createTRPCClient<AiRouter>({ links: aiLinks<AiRouter>({ url: '/ai/trpc' }) })

export type AiInputs = inferRouterInputs<AiRouter>
export type AiOutputs = inferRouterOutputs<AiRouter>
export type ChatInput = AiInputs['ai']['chat']
export type ChatSelection = NonNullable<ChatInput['selection']>
export type ModelsReport = AiOutputs['ai']['models']

/** Code search (issue 5): `search.query` and `search.status`. */
export type SearchResults = AiOutputs['search']['query']
export type SearchHit = SearchResults['results'][number]
export type SearchStatus = AiOutputs['search']['status']
export type SearchMode = NonNullable<AiInputs['search']['query']['mode']>
