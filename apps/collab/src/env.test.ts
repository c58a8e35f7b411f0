import { describe, expect, it } from 'vitest'
import { parseEnv } from './env'

describe('parseEnv', () => {
  it('applies defaults and resolves DATA_DIR against where npm was started', () => {
    const env = parseEnv({ INIT_CWD: '/home/me/proj' })
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATA_DIR: '/home/me/proj/.mimiverse' })
    expect(env.COLLAB_MAX_MESSAGE_BYTES).toBe(8 * 1024 * 1024)
    expect(env).toMatchObject({
      COLLAB_AUTH_TIMEOUT_MS: 10_000,
      COLLAB_MAX_SOCKETS: 10_000,
      COLLAB_MAX_SOCKETS_PER_ADDRESS: 64,
      COLLAB_MAX_SOCKETS_PER_USER: 32,
      COLLAB_MAX_DOCUMENTS_PER_USER: 256,
      COLLAB_MAX_UNAUTHENTICATED_BYTES: 64 * 1024 * 1024,
    })
  })

  it('lists every invalid variable in one readable error', () => {
    expect(() => parseEnv({ PORT: 'x', SECRET: 'short', DATABASE_URL: 'mysql://x' })).toThrow(
      /PORT: .*\n.*DATABASE_URL: must be a postgres:\/\/ URL\n.*SECRET: must be at least 32/s,
    )
  })

  it('keeps history for 90 days by default and refuses a retention shorter than its dense windows', () => {
    expect(parseEnv({})).toMatchObject({
      HISTORY_RETENTION_DAYS: 90,
      HISTORY_KEEP_ALL_HOURS: 24,
      HISTORY_KEEP_HOURLY_DAYS: 7,
    })
    expect(() => parseEnv({ HISTORY_RETENTION_DAYS: '3' })).toThrow(
      /HISTORY_RETENTION_DAYS: needs HISTORY_KEEP_ALL_HOURS <= /,
    )
    expect(parseEnv({ HISTORY_RETENTION_DAYS: '0' }).HISTORY_RETENTION_DAYS).toBe(0)
  })
})
