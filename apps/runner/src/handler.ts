/**
 * The runner: each project's workspace on disk (its files mirrored both ways with the shared documents) and its
 * shared, sandboxed terminals. Mounted on the collab server in the embedded default, its own service in
 * production.
 */
export const RUNNER_PLACEHOLDER = true
