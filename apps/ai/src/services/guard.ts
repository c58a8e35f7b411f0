import { AppError, ErrorCode } from '@mimiverse/shared'
import { BackendError, BackendFailure } from './backend-error'
import type { Breaker } from './breaker'

/**
 * Runs calls to a backend through its circuit breaker: an open circuit fails at once with an `Unreachable`
 * BackendError (no waiting on a dead host); unhealthy failures are counted, anything else closes the circuit.
 */
export async function guarded<T>(breaker: Breaker, fn: () => Promise<T>): Promise<T> {
  if (!breaker.allow()) throw circuitOpen(breaker)
  try {
    const value = await fn()
    breaker.success()
    return value
  } catch (e: unknown) {
    settle(breaker, e)
    throw e
  }
}

/** The streamed form of `guarded`: the circuit is judged when the stream ends, fails or is abandoned. */
export async function* guardedStream<T>(breaker: Breaker, stream: () => AsyncIterable<T>): AsyncGenerator<T> {
  if (!breaker.allow()) throw circuitOpen(breaker)
  let judged = false
  try {
    for await (const item of stream()) {
      // The first chunk proves the backend is up; a later failure is judged on its own.
      if (!judged) breaker.success()
      judged = true
      yield item
    }
  } catch (e: unknown) {
    judged = true
    settle(breaker, e)
    throw e
  } finally {
    // An empty stream, or a caller that left before the first chunk: nothing says the backend is down.
    if (!judged) breaker.success()
  }
}

function settle(breaker: Breaker, e: unknown): void {
  if (e instanceof BackendError && e.unhealthy) breaker.failure()
  else breaker.success()
}

function circuitOpen(breaker: Breaker): BackendError {
  return new BackendError(
    breaker.name,
    BackendFailure.Unreachable,
    `${breaker.name} is marked down (circuit open)`,
  )
}

/**
 * The error a user sees when no model can serve a task: it names what to start or pull. The editor itself
 * keeps working; only this AI request fails, and fast.
 */
export function unavailable(task: string, model: string, e: unknown): AppError {
  if (e instanceof AppError) return e
  if (!(e instanceof BackendError))
    return new AppError(ErrorCode.Internal, 'The AI request failed', { cause: e })
  switch (e.failure) {
    case BackendFailure.MissingModel:
      return new AppError(
        ErrorCode.Unavailable,
        `The ${task} model ${model} is not installed in Ollama: run \`ollama pull ${model}\``,
        { cause: e },
      )
    case BackendFailure.Overloaded:
      return new AppError(ErrorCode.Unavailable, `Ollama is busy (queue full); try again shortly`, {
        cause: e,
      })
    case BackendFailure.Timeout:
      return new AppError(
        ErrorCode.Unavailable,
        `The ${task} model ${model} did not answer in time (it may still be loading); try again shortly`,
        { cause: e },
      )
    case BackendFailure.Aborted:
      return new AppError(ErrorCode.BadRequest, 'The request was cancelled', { cause: e })
    case BackendFailure.Failed:
      // Ollama's own error text (a crashed runner, out of memory) helps whoever runs it; it holds no secrets.
      return new AppError(
        ErrorCode.Unavailable,
        `The ${task} model ${model} failed: ${e.message}. Check the Ollama log.`,
        { cause: e },
      )
    case BackendFailure.Unreachable:
      return new AppError(
        ErrorCode.Unavailable,
        `No ${task} model is reachable: start Ollama (\`docker compose up ollama\`) and pull the model ` +
          `(\`ollama pull ${model}\`). The editor keeps working without it.`,
        { cause: e },
      )
  }
}
