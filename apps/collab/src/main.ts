import { exitOnStartFailure, runServer } from './run'

/** A collab node on its own: the workspace API, the collab WebSocket and the web app. */
runServer().catch(exitOnStartFailure)
