import type { Breaker } from './breaker'
import { guarded } from './guard'
import { LOCAL_EMBED_MODEL } from './local-embedder'
import type { OllamaBackend } from './ollama'
import type { TritonBackend } from './triton'

/**
 * What `ai.models` reports: the configured model of each task, which backend would serve it now, and that
 * backend's health. Probes are short (a few seconds at most) and go through the circuit breakers, so a dead
 * backend answers "circuit open" at once.
 */
export type ModelStatus = 'ready' | 'missing' | 'unreachable'

export interface TaskStatus {
  task: 'chat' | 'complete' | 'embed'
  /** The configured model. */
  model: string
  /** The backend serving the task now (embeddings fall back: triton, ollama, local). */
  backend: 'ollama' | 'triton' | 'local'
  /** The model actually used: for embeddings on the local fallback, the local embedder. */
  servedBy: string
  status: ModelStatus
  /** What to do when it is not ready. */
  hint?: string
}

/**
 * Every signed-in user may read this, so it names no internal address: where Ollama and Triton run is for the
 * operator (configuration and logs); users get what to start or pull.
 */
export interface ModelsReport {
  tasks: TaskStatus[]
  backends: {
    ollama: { breaker: string; reachable: boolean; models: string[] }
    triton: { breaker: string; ready: boolean; modelReady: boolean } | null
  }
}

export interface ModelsOptions {
  ollama: { backend: OllamaBackend; breaker: Breaker }
  triton: { backend: TritonBackend; breaker: Breaker; model: string } | null
  models: { chat: string; complete: string; embed: string }
}

/** Ollama lists models as `name:tag`; a configured name without a tag means `:latest`. */
function pulled(models: string[], model: string): boolean {
  const full = model.includes(':') ? model : `${model}:latest`
  return models.includes(full) || models.includes(model)
}

export async function modelsReport(opts: ModelsOptions): Promise<ModelsReport> {
  const { backend: ollama, breaker } = opts.ollama
  const listed = await guarded(breaker, () => ollama.list()).catch(() => null)
  const ollamaStatus = (model: string): ModelStatus =>
    listed === null ? 'unreachable' : pulled(listed, model) ? 'ready' : 'missing'
  const hint = (model: string, status: ModelStatus) =>
    status === 'unreachable'
      ? `start Ollama (docker compose up ollama), then ollama pull ${model}`
      : status === 'missing'
        ? `ollama pull ${model}`
        : undefined
  const task = (name: 'chat' | 'complete', model: string): TaskStatus => {
    const status = ollamaStatus(model)
    return { task: name, model, backend: 'ollama', servedBy: model, status, hint: hint(model, status) }
  }
  const triton = opts.triton ? await tritonHealth(opts.triton) : null
  const embedModel = opts.models.embed
  const embed: TaskStatus = triton?.modelReady
    ? {
        task: 'embed',
        model: embedModel,
        backend: 'triton',
        servedBy: opts.triton?.model ?? embedModel,
        status: 'ready',
      }
    : ollamaStatus(embedModel) === 'ready'
      ? { task: 'embed', model: embedModel, backend: 'ollama', servedBy: embedModel, status: 'ready' }
      : {
          task: 'embed',
          model: embedModel,
          backend: 'local',
          servedBy: LOCAL_EMBED_MODEL,
          status: 'ready',
          hint: `lexical fallback in use; for semantic search: ${hint(embedModel, ollamaStatus(embedModel))}`,
        }
  return {
    tasks: [task('chat', opts.models.chat), task('complete', opts.models.complete), embed],
    backends: {
      ollama: {
        breaker: breaker.state(),
        reachable: listed !== null,
        models: listed ?? [],
      },
      triton,
    },
  }
}

async function tritonHealth(t: NonNullable<ModelsOptions['triton']>) {
  const ready = await guarded(t.breaker, () => t.backend.serverReady()).catch(() => false)
  const modelReady =
    ready && (await guarded(t.breaker, () => t.backend.modelReady(t.model)).catch(() => false))
  return { breaker: t.breaker.state(), ready, modelReady }
}
