import { defineProject } from 'vitest/config'

/** The `mimi` CLI's tests (`npm run test:scripts`, also run by `npm test`): real servers in-process on port 0. */
export default defineProject({
  test: {
    name: 'scripts',
    root: import.meta.dirname,
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
