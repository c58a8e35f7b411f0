import { updateProblem } from '@mimiverse/db'

/**
 * The check of a SyncStep2/Update payload, run by the frame guard on arrival, once per frame, before the durable
 * log stores the update and before Hocuspocus applies and acknowledges it.
 *
 * `Y.decodeUpdate` accepting a payload is not enough: an update can decode and still throw inside
 * `Y.applyUpdate` (a delete range of length 0 for an unknown client throws "Unexpected case" when Yjs encodes
 * the deletions it keeps for later). y-protocols swallows that throw and Hocuspocus acknowledges the update, so
 * once such an update was logged, every replay of the log threw and the document could no longer be loaded,
 * compacted or read. `updateProblem` (in `@mimiverse/db`, shared with the replay of stored logs) checks
 * structural rules every Yjs-written update keeps, applies the payload to an empty scratch document and checks
 * that every item landed between its origin and its right origin there (an item that did not is placed
 * differently by the live document, its stored snapshot and the honest clients).
 *
 * Is the scratch document a superset of what the live document throws on? For the paths that keep deletions and
 * structs for later, yes: every client's state is 0 there, so each delete range and each struct ahead of the
 * live document's state is also ahead of the scratch one, and is encoded whole (the live document encodes the
 * same range, or a shorter, non-empty tail of it). For what happens only against existing content (splitting
 * items, resolving origins, merging with the live document's own pending updates), no: a seeded fuzz found
 * mutated updates the scratch document accepts and a document with content throws on (items pointing at a later
 * clock of their own client, zero-length items). The structural rules refuse those classes. What no check of one
 * update can refuse: a well-formed struct claiming clocks of another client (Yjs does not authenticate client
 * ids), after which that client's own next update throws. Hence `LiveApplyExtension` catches a throw on the
 * live document.
 *
 * Cost (`bench/update-check.ts`, one core): about 20 µs for a keystroke's update (its apply to a large live
 * document costs about 90 µs; the order check finds nothing integrated in the scratch document then). For a
 * 560 kB SyncStep2 (a 24,000-character file with its edit history) about 40-50 ms before the order check, which
 * indexes every item the scratch document holds and adds about half as much again; applying it to a document
 * lacking it all, as the live document then does, costs about as much. Frames that large only come from a
 * client holding much the server lacks (offline work, a server that lost data).
 */

/**
 * A payload that cannot be applied. Its message is ours and safe to send back (as `FrameError`'s, which it does
 * not extend: `frame.ts` imports this module); `detail` says why, for our log only.
 */
export class UnapplicableUpdateError extends Error {
  override readonly name = 'UnapplicableUpdateError'
  constructor(readonly detail: string) {
    super('update cannot be applied')
  }
}

/** Throws `UnapplicableUpdateError` unless `update` can be applied. */
export function assertApplicable(update: Uint8Array): void {
  const problem = updateProblem(update)
  if (problem !== undefined) throw new UnapplicableUpdateError(problem)
}
