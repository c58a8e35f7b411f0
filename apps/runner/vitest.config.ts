import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'runner',
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real sandboxes, file watchers and servers: on a loaded machine a condition takes seconds, not the default 1 s.
    expect: { poll: { timeout: 10_000 } },
  },
})
