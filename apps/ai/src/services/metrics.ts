import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/**
 * Prometheus metrics of the AI service, in a registry of its own (so several handlers in one process, as in
 * tests, never clash). Labels: `task` (chat, complete, embed), `model`, `backend` (ollama, triton, local).
 */
export interface AiMetrics {
  registry: Registry
  requests: Counter<'task' | 'model' | 'backend' | 'outcome'>
  latency: Histogram<'task' | 'model'>
  tokens: Counter<'task' | 'model' | 'kind'>
  fallbacks: Counter<'task' | 'from' | 'to'>
  cacheHits: Counter<'task'>
  cacheMisses: Counter<'task'>
  rateLimited: Counter<'task'>
  breakerOpen: Gauge<'backend'>
  /** Time to apply one batch of the agent's edits (transaction, highlight, cursor). */
  agentBatch: Histogram
  agentRuns: Counter<'state'>
  agentToolSeconds: Histogram<'tool'>
  searchIndexedFiles: Counter<'outcome'>
  searchIndexedChunks: Counter
  searchEmbedCalls: Counter<'model'>
  searchEmbeddedChunks: Counter<'model'>
  searchQueueDepth: Gauge
  searchQueryDuration: Histogram<'mode'>
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): AiMetrics {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'mimi_ai_' })
  const registers = [registry]
  return {
    registry,
    requests: new Counter({
      name: 'mimi_ai_requests_total',
      help: 'Model requests by task, model, backend and outcome (ok, error, cancelled, unavailable).',
      labelNames: ['task', 'model', 'backend', 'outcome'],
      registers,
    }),
    latency: new Histogram({
      name: 'mimi_ai_request_duration_seconds',
      help: 'Time from request to the last chunk (chat) or answer (complete, embed).',
      labelNames: ['task', 'model'],
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    tokens: new Counter({
      name: 'mimi_ai_tokens_total',
      help: 'Tokens reported by the model backend, by kind (prompt, output).',
      labelNames: ['task', 'model', 'kind'],
      registers,
    }),
    fallbacks: new Counter({
      name: 'mimi_ai_fallbacks_total',
      help: 'Requests served by a later backend because an earlier one was unavailable.',
      labelNames: ['task', 'from', 'to'],
      registers,
    }),
    cacheHits: new Counter({
      name: 'mimi_ai_cache_hits_total',
      help: 'Answers served from the cache.',
      labelNames: ['task'],
      registers,
    }),
    cacheMisses: new Counter({
      name: 'mimi_ai_cache_misses_total',
      help: 'Cache look-ups that went to the model.',
      labelNames: ['task'],
      registers,
    }),
    rateLimited: new Counter({
      name: 'mimi_ai_rate_limited_total',
      help: 'Requests refused by the per-user rate limit.',
      labelNames: ['task'],
      registers,
    }),
    breakerOpen: new Gauge({
      name: 'mimi_ai_breaker_open',
      help: '1 while the circuit breaker of a backend is open or half-open, else 0.',
      labelNames: ['backend'],
      registers,
    }),
    agentBatch: new Histogram({
      name: 'mimi_ai_agent_batch_seconds',
      help: 'Time the agent spends applying one batch of edits to its document (transaction, highlight, cursor).',
      buckets: [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05],
      registers,
    }),
    agentRuns: new Counter({
      name: 'mimi_ai_agent_runs_total',
      help: 'Finished agent runs by state (done, failed, cancelled).',
      labelNames: ['state'],
      registers,
    }),
    agentToolSeconds: new Histogram({
      name: 'mimi_ai_agent_tool_seconds',
      help: 'Our own time per agent tool round trip (arguments parsed to result ready; not the model, an approval or a command).',
      labelNames: ['tool'],
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5],
      registers,
    }),
    searchIndexedFiles: new Counter({
      name: 'mimi_ai_search_indexed_files_total',
      help: 'Files the search indexer handled, by outcome (indexed, unchanged, failed).',
      labelNames: ['outcome'],
      registers,
    }),
    searchIndexedChunks: new Counter({
      name: 'mimi_ai_search_indexed_chunks_total',
      help: 'Chunks written to the search index.',
      registers,
    }),
    searchEmbedCalls: new Counter({
      name: 'mimi_ai_search_embed_calls_total',
      help: 'Embedding calls made by the search indexer (chunks missing from the embedding cache).',
      labelNames: ['model'],
      registers,
    }),
    searchEmbeddedChunks: new Counter({
      name: 'mimi_ai_search_embedded_chunks_total',
      help: 'Chunks embedded by the search indexer; cached chunks are not counted.',
      labelNames: ['model'],
      registers,
    }),
    searchQueueDepth: new Gauge({
      name: 'mimi_ai_search_queue_depth',
      help: 'Files waiting to be (re)indexed, over all projects (sampled by the indexer).',
      registers,
    }),
    searchQueryDuration: new Histogram({
      name: 'mimi_ai_search_query_duration_seconds',
      help: 'Time to answer search.query, by mode.',
      labelNames: ['mode'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers,
    }),
  }
}
