import { defineProject } from 'vitest/config'

/**
 * One project for the web app: unit tests beside the code (`src/**\/*.test.ts`) and browser end-to-end tests
 * (`e2e/*.e2e.test.ts`, real Chromium against a real in-process server). The global setup builds the app when
 * dist is stale. E2E files run one at a time: each drives several browser contexts, and a 2-core machine
 * timing out under parallel browsers would make the suite flaky.
 */
export default defineProject({
  test: {
    name: 'web',
    environment: 'node',
    include: ['src/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
