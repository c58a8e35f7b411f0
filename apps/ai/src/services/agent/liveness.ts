/**
 * How AI processes sharing one database tell a working agent run from one whose process died: the process that
 * runs a run refreshes its `alive_at` every `HEARTBEAT_MS`; a run left `running` but not refreshed for
 * `STALE_MS` belongs to a process that stopped, and any process may report and record it as interrupted. Nothing
 * else names the process, so a restart (or a second node starting) never touches another process's live runs.
 */
export const HEARTBEAT_MS = 5_000

/** Six missed heartbeats: long enough for a busy event loop or a slow database, short enough for a user. */
export const STALE_MS = 30_000

/** Runs last refreshed before this moment are taken for dead. */
export const staleBefore = (): Date => new Date(Date.now() - STALE_MS)
