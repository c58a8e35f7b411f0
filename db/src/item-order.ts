import * as Y from 'yjs'

/**
 * Whether every item of a document sits between its origin and its right origin, as Yjs wrote it.
 *
 * A Yjs item names its neighbours at creation: `origin` (the item to its left) and `rightOrigin` (the item to its
 * right). Every replica places it by scanning from the origin towards the right origin (YATA); the scan only
 * stops at the right origin, so every replica agrees on the order only when the right origin lies to the right
 * of the origin, in the same parent. A Yjs client never writes anything else. An item that breaks it (its right
 * origin is its origin, or lies left of it, or in another parent) still applies without an error, but where it
 * lands then depends on whatever the scan runs over: how the replica's items happen to be split, and what else
 * it holds. The live document, a snapshot re-encoded from it and an honest client each placed such an item
 * differently, so the stored document and the one people saw drifted apart (found by the collab fuzzer, from a
 * single mutated update of one client).
 *
 * Checked after the item was integrated (in the update check's scratch document): an item right of its origin
 * and left of its right origin there is exactly one whose right origin was right of its origin. Items whose
 * origin or right origin the document lacks are not checked here (they are still pending in it).
 *
 * Cost: one walk over each list and map key the document holds, then a lookup per reference: linear in the
 * items of the update, far less than applying it.
 */
export function misplacedItem(doc: Y.Doc): string | undefined {
  const positions = new ItemPositions()
  for (const structs of doc.store.clients.values()) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue
      const problem = misplaced(doc, struct, positions)
      if (problem) return `item ${struct.id.client}:${struct.id.clock} ${problem}`
    }
  }
  return undefined
}

function misplaced(doc: Y.Doc, item: Y.Item, positions: ItemPositions): string | undefined {
  // Usually the origins are the item's neighbours still (nothing was inserted between them concurrently).
  if (holds(item.left, item.origin) && holds(item.right, item.rightOrigin)) return undefined
  const at = positions.of(item)
  if (at === undefined) return 'is not in its parent'
  const left = item.origin && integrated(doc, item.origin)
  if (left && !(positions.sameList(left, item) && (positions.of(left) ?? at) < at)) {
    return 'is not right of its origin'
  }
  const right = item.rightOrigin && integrated(doc, item.rightOrigin)
  if (right && !(positions.sameList(right, item) && (positions.of(right) ?? at) > at)) {
    return 'is not left of its right origin'
  }
  return undefined
}

/** Whether `neighbour` is the item holding `id` (both absent counts too). */
function holds(neighbour: Y.Item | null, id: Y.ID | null): boolean {
  if (neighbour === null || id === null) return neighbour === id
  const { client, clock } = neighbour.id
  return id.client === client && id.clock >= clock && id.clock < clock + neighbour.length
}

/** The item holding `id`, if the document has integrated it (a GC range is no item). */
function integrated(doc: Y.Doc, id: Y.ID): Y.Item | undefined {
  if (id.clock >= Y.getState(doc.store, id.client)) return undefined
  const struct = Y.getItem(doc.store, id)
  return struct instanceof Y.Item ? struct : undefined
}

/**
 * Positions of items in their list: a type's sequence counts up from its start; a map key's entries count down
 * from its current value (older entries are to its left). Each list is walked once, when first asked about.
 */
class ItemPositions {
  private readonly index = new Map<Y.Item, number>()
  private readonly walked = new Set<Y.AbstractType<unknown>>()

  of(item: Y.Item): number | undefined {
    const parent = item.parent
    if (!(parent instanceof Y.AbstractType)) return undefined
    if (!this.walked.has(parent)) this.walk(parent)
    return this.index.get(item)
  }

  sameList(a: Y.Item, b: Y.Item): boolean {
    return a.parent === b.parent && a.parentSub === b.parentSub
  }

  private walk(parent: Y.AbstractType<unknown>): void {
    this.walked.add(parent)
    let i = 0
    for (let n = parent._start; n !== null; n = n.right) this.index.set(n, i++)
    for (const current of parent._map.values()) {
      let j = 0
      for (let n: Y.Item | null = current; n !== null; n = n.left) this.index.set(n, j--)
    }
  }
}
