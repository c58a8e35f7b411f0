import { defineConfig } from 'vitest/config'

const base = { environment: 'node', testTimeout: 30_000 } as const

/**
 * Every suite on PGlite; the query and migration suites once more on a fresh database per test on the
 * `TEST_DATABASE_URL` server when it is set (CI: the machine's PostgreSQL 15, without pgvector).
 */
export default defineConfig({
  test: {
    projects: [
      { test: { ...base, name: 'db' } },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              test: {
                ...base,
                name: 'db (postgres)',
                include: ['src/queries/**/*.test.ts', 'src/migrate.test.ts'],
                env: { TEST_DATABASE_DRIVER: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
})
