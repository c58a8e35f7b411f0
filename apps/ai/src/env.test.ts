import { describe, expect, it } from 'vitest'
import { parseEnv } from './env'

describe('AI service environment', () => {
  it('has defaults for every model and backend', () => {
    expect(parseEnv({})).toMatchObject({
      AI_PORT: 3001,
      OLLAMA_HOST: 'http://127.0.0.1:11434',
      MODEL_CHAT: 'qwen2.5-coder:7b',
      MODEL_COMPLETE: 'qwen2.5-coder:1.5b-base',
      MODEL_EMBED: 'nomic-embed-text',
      EMBED_DIMENSIONS: 768,
      AI_WARMUP: true,
    })
  })

  it('lists every bad variable in one readable error', () => {
    expect(() => parseEnv({ OLLAMA_HOST: 'nope', REDIS_URL: 'http://x', AI_WARMUP: 'maybe' })).toThrow(
      /OLLAMA_HOST: .*\n.*AI_WARMUP: .*\n.*REDIS_URL: must be a redis:\/\/ URL/,
    )
  })
})
