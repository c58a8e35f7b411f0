import * as Y from 'yjs'

/**
 * Whether a Yjs update (v1 encoding, what the sync protocol and the document log carry) can be applied.
 *
 * `Y.decodeUpdate` accepting an update does not mean `Y.applyUpdate` will: a delete range of length 0 for a
 * client the document has not seen decodes, and then throws "Unexpected case" when Yjs encodes the deletions it
 * has to keep for later. An update that throws there leaves the document half-changed, and every later
 * replay of a log holding it throws again. So an update is checked in two ways, both cheap next to applying it
 * to a large document:
 *
 *  1. Rules no update Yjs writes ever breaks: no struct and no delete range of length 0, and no item whose
 *     origin, right origin or parent is a later clock of its own client (a client's items only ever refer to
 *     what existed before them).
 *  2. Applying it to an empty scratch document. Every client's state is 0 there, so every struct that refers
 *     to something missing is kept as pending and every deletion as not yet applicable: the scratch document
 *     takes exactly the paths that encode them, and those are where malformed ranges and structs throw.
 *
 * Neither alone covers what a live document throws on. Applying to an empty document cannot reach what
 * happens only against existing content: in a seeded fuzz (`update-check.test.ts`, and a longer run of
 * 230,000 mutated real updates while writing this), about 0.6 % of mutated updates that the scratch
 * document accepted threw on a document with content, nearly all of them items pointing at their own client's
 * later clocks (Yjs skips the "is it there yet" check for those and dereferences a missing struct), the rest
 * zero-length items breaking the merge of deleted items. Rule 1 refuses both classes; with it, no mutated
 * update that passed threw on either document. Against a document holding pending updates, a few did (5 of
 * 38,000): well-formed structs claiming clocks of another client, after which that client's own next update
 * throws. Yjs does not authenticate client ids, so no check of one update can see that. Whoever applies an
 * update to a live document must still catch a throw, and a replay must be able to leave any update out.
 */
export function updateProblem(update: Uint8Array): string | undefined {
  let decoded: Decoded
  try {
    decoded = Y.decodeUpdate(update)
  } catch (e: unknown) {
    return `does not decode: ${messageOf(e)}`
  }
  const broken = brokenRule(decoded)
  if (broken) return broken
  // A fixed guid: Yjs draws a random one (32 calls into the CSPRNG) otherwise, a third of a keystroke's check.
  const scratch = new Y.Doc({ guid: 'update-check' })
  try {
    Y.applyUpdate(scratch, update)
    return undefined
  } catch (e: unknown) {
    return `cannot be applied: ${messageOf(e)}`
  } finally {
    scratch.destroy()
  }
}

type Decoded = ReturnType<typeof Y.decodeUpdate>

function brokenRule({ structs, ds }: Decoded): string | undefined {
  for (const [client, ranges] of ds.clients) {
    if (ranges.some((r) => r.len < 1)) return `empty delete range of client ${client}`
  }
  for (const struct of structs) {
    const { id, length } = struct
    if (!(length >= 1)) return `empty struct ${id.client}:${id.clock}`
    if (struct instanceof Y.Item && refersForward(struct)) {
      return `struct ${id.client}:${id.clock} refers to a later clock of its own client`
    }
  }
  return undefined
}

function refersForward(item: Y.Item): boolean {
  const parent = item.parent instanceof Y.ID ? item.parent : null
  return [item.origin, item.rightOrigin, parent].some(
    (ref) => ref !== null && ref.client === item.id.client && ref.clock >= item.id.clock,
  )
}

/** An error's message, cut short: these go into logs and the quarantine table. */
export function messageOf(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  return message.length > 200 ? `${message.slice(0, 200)}…` : message
}
