import { defineConfig } from 'vitest/config'

const base = { environment: 'node', testTimeout: 30_000, hookTimeout: 30_000 } as const

/**
 * Every suite on PGlite; the suites of the stores the AI service writes (agent runs and tasks, two AI
 * processes sharing agent runs, completion events) once more on a fresh database per test on the `TEST_DATABASE_URL` server when it is set (CI).
 */
export default defineConfig({
  test: {
    projects: [
      { test: { ...base, name: 'ai' } },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...base,
                name: 'ai (postgres)',
                include: [
                  'src/services/agent/run-store.test.ts',
                  'test/agent-instances.test.ts',
                  'src/services/agent/task/task-store.test.ts',
                  'test/completion-events.test.ts',
                ],
                env: { TEST_DATABASE_DRIVER: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
})
