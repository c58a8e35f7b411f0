/**
 * `npm start`: the embedded default — one process serving the web app, the workspace API, the collab
 * WebSocket, the AI service and the runner (shared terminals) on one port, with the embedded database.
 *
 * This file is the composition root, and the one place where the two services meet: the apps never import
 * each other (STYLE), and in production they run as separate processes (`apps/collab/src/main.ts`,
 * `apps/ai/src/main.ts`). Here the AI service's handler is mounted on the collab server, sharing its database
 * (PGlite belongs to a single process) and its /metrics.
 */
import { createAiHandler, parseAiEnv } from '@mimiverse/ai/handler'
import { exitOnStartFailure, runServer } from '@mimiverse/collab/run'
import { createRunnerHandler, parseRunnerEnv } from '@mimiverse/runner/handler'

runServer({
  mounts: ({ database, log, secret, collabUrl, accessChanges, bodyBudget }) => [
    createAiHandler({
      env: parseAiEnv(),
      database,
      log: log.child({ service: 'ai' }),
      processMetrics: false,
      // The agent joins documents through this node's own collab endpoint, with this node's secret.
      collab: { url: collabUrl, secret },
      // Sign-outs and membership changes reach the AI service's access cache before the API call returns.
      accessChanges,
      // One process, one bound on the request bodies it buffers.
      bodyBudget,
    }),
    // Terminals run in this process too (each command in its own sandbox); they authenticate with this node's
    // collab tokens and hear membership changes on the same bus.
    createRunnerHandler({
      env: parseRunnerEnv(),
      database,
      log: log.child({ service: 'runner' }),
      secret,
      accessChanges,
    }),
  ],
}).catch(exitOnStartFailure)
