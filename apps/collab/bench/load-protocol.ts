/**
 * Messages between `bench:load` (the driver) and its user hosts, over Node IPC. Every request carries an `id`
 * that its reply repeats. The flow per ramp step:
 *
 *   driver -> host  add     the host connects the users, waits until each has synced, starts them typing
 *   host -> driver  added
 *   driver -> host  open    the host starts timing keystrokes (a fresh tracker over all of its users)
 *   driver -> host  close   the host stops timing new keystrokes, waits for the timed ones to arrive
 *   host -> driver  window  latencies and counts of the window
 *
 * and `stop` at the end, after which the host destroys its providers and exits. A request that fails is
 * answered with `failed` and the error message; the driver then fails the run.
 */

/** One simulated user: its own provider, socket and Y.Doc on one node. */
export interface UserSpec {
  nodeUrl: string
  /** Node index, so the host can pick a watcher on another node. */
  node: number
  docName: string
  /** Document index in the workspace; every user of a document lives in the same host. */
  file: number
  /** A collab token of the user's account (valid for the whole run). */
  token: string
  /** That account, published as the awareness `user` (the server holds it to the token's). */
  user: { id: string; name: string }
}

export interface TypingSpec {
  rate: number
  pauseChance: number
  pauseMs: number
  seed: number
  /** Time a keystroke only at a watcher on another node (two-node phase). */
  crossNode: boolean
}

export type HostRequest =
  | { id: number; type: 'add'; users: UserSpec[]; typing: TypingSpec }
  | { id: number; type: 'open' }
  | { id: number; type: 'close'; drainMs: number }
  | { id: number; type: 'stop' }

/** What one host measured over one window. */
export interface WindowReport {
  /** Keystroke latencies in ms (sender -> server(s) -> watcher), rounded to 0.01 ms. */
  samples: number[]
  /** Keystrokes timed but not seen by their watcher within the drain time. */
  undelivered: number
  /**
   * Keystrokes typed during the window: each one Yjs update the server applies and broadcasts, and one
   * awareness update (the cursor moving with it).
   */
  keystrokes: number
  /** The host's event-loop delay over the window: a busy host delays arrivals it has to process. */
  loopDelayP99Ms: number
  /** Close codes of this host's sockets since the start: a reconnect would resend and skew every count. */
  closeCodes: number[]
  /** The slowest keystrokes of the window: when they were typed (ms into the window) and their latency. */
  slowest: { atMs: number; ms: number }[]
}

export type HostReply =
  | { id: number; type: 'added'; connectMs: number }
  | { id: number; type: 'opened' }
  | ({ id: number; type: 'window' } & WindowReport)
  | { id: number; type: 'stopped' }
  | { id: number; type: 'failed'; error: string }
