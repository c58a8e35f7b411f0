import { defineProject } from 'vitest/config'

export default defineProject({
  test: { name: 'collab', environment: 'node', testTimeout: 60_000, hookTimeout: 60_000 },
})
