/**
 * `npm start`: the embedded default — one process serving the web app, the workspace API, the collab
 * WebSocket, the AI service and the runner (shared terminals) on one port, with the embedded database.
 *
 * This file is the composition root, and the one place where the two services meet: the apps never import
 * each other (STYLE), and in production they run as separate processes (`apps/collab/src/main.ts`,
 * `apps/ai/src/main.ts`). Here the AI service's handler is mounted on the collab server, sharing its database
 * (PGlite belongs to a single process) and its /metrics, and so is the runner (workspaces on disk).
 */
import { createAiHandler, parseAiEnv } from '@mimiverse/ai/handler'
import { exitOnStartFailure, runServer } from '@mimiverse/collab/run'
import { mountRunner } from '@mimiverse/runner/handler'

runServer({
  mounts: (deps) => {
    // Each active project's working tree under DATA_DIR/workspaces, mirrored with its documents through this
    // node's collab endpoint (RUNNER_ENABLED=false turns it off), and its shared terminals, each command in its
    // own sandbox; terminal sockets authenticate with this node's collab tokens and hear membership changes on
    // the same bus.
    const runner = mountRunner({ ...deps, log: deps.log.child({ service: 'runner' }) })
    const ai = createAiHandler({
      env: parseAiEnv(),
      database: deps.database,
      log: deps.log.child({ service: 'ai' }),
      processMetrics: false,
      // The agent joins documents through this node's own collab endpoint, with this node's secret.
      collab: { url: deps.collabUrl, secret: deps.secret },
      // Sign-outs and membership changes reach the AI service's access cache before the API call returns.
      accessChanges: deps.accessChanges,
      // One process, one bound on the request bodies it buffers.
      bodyBudget: deps.bodyBudget,
      // The agent's commands run in the project's shared terminals, on this node's runner; outside agents see
      // the workspace's git diff through the runner and who is where through this node's live documents.
      overrides: { commands: runner.commands, git: runner.git, presence: deps.presence },
    })
    return [ai, runner]
  },
}).catch(exitOnStartFailure)
