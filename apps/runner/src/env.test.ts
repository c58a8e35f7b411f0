import { describe, expect, it } from 'vitest'
import { parseEnv } from './env'

describe('parseEnv', () => {
  it('puts the workspaces in DATA_DIR and keeps terminals off the network by default', () => {
    const env = parseEnv({ DATA_DIR: '/srv/mimi' })
    expect(env.WORKSPACES_DIR).toBe('/srv/mimi/workspaces')
    expect(env.RUNNER_NETWORK).toBe(false)
    expect(env.RUNNER_TERMINALS).toBe(true)
    expect(env.RUNNER_GIT_REMOTES.patterns).toEqual([])
  })

  it('takes the hosts git may reach as patterns and refuses a bad one', () => {
    expect(parseEnv({ RUNNER_GIT_REMOTES: 'github.com,*.example.org' }).RUNNER_GIT_REMOTES.patterns).toEqual([
      'github.com',
      '*.example.org',
    ])
    expect(() => parseEnv({ RUNNER_GIT_REMOTES: 'ssh://x' })).toThrow(
      /RUNNER_GIT_REMOTES: "ssh:\/\/x" is no host pattern/,
    )
  })

  it('names every bad variable', () => {
    expect(() => parseEnv({ RUNNER_NETWORK: 'maybe', RUNNER_MAX_PROCESSES: '2' })).toThrow(
      /Invalid runner configuration:\n {2}RUNNER_NETWORK: .*\n {2}RUNNER_MAX_PROCESSES: /,
    )
  })
})
