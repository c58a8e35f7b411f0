import * as Y from 'yjs'

/**
 * Who deleted which characters of a Y.Text, to say whose change an agent's edit ran into. Yjs records who
 * inserted each character (the client of its id) but not who deleted it, so deletions are watched as they
 * arrive, from when a version of the document is captured:
 * - a remote change that also inserted text (typing over a selection, say) is its inserter's;
 * - a pure deletion is attributed to the people whose cursor (awareness `selection`) sits at the deleted place,
 *   where an editor's cursor is while its user deletes;
 * - the agent's own changes (local transactions) are its own;
 * - otherwise it was "another collaborator".
 * Client ids become names through the awareness states seen in the document.
 */
export interface Collaborators {
  /** The name a client published in awareness (`user.name`) since the agent joined; undefined if never seen. */
  nameOf(clientId: number): string | undefined
  /** The other clients' cursors now: awareness `selection` (relative positions, as JSON; not validated). */
  cursors(): { clientId: number; anchor: unknown; head: unknown }[]
}

export const SOMEONE = 'another collaborator'

/** Deletions remembered (oldest forgotten first): a run lasts as long as one model answer. */
const MAX_DELETIONS = 10_000
/** Deleted ranges of one change whose place is compared with the cursors. */
const MAX_PLACES = 16

interface Deletion {
  client: number
  clock: number
  len: number
  /** Who did it, e.g. "Bob" or, when two cursors were there, "Bob or Carol". */
  by: string
}

export class DeletionAuthors {
  private readonly log: Deletion[] = []
  private readonly observer = (_e: Y.YTextEvent, tr: Y.Transaction) => this.record(tr)

  constructor(
    private readonly text: Y.Text,
    private readonly who: Collaborators,
    /** The name of the changes made locally (the agent's). */
    private readonly self: string,
  ) {
    text.observe(this.observer)
  }

  /** Who deleted any of these characters since the start, each named once; SOMEONE when not seen. */
  of(ids: { client: number; clock: number; len: number }[]): string[] {
    const names = new Set<string>()
    for (const d of this.log) {
      if (ids.some((i) => i.client === d.client && i.clock < d.clock + d.len && d.clock < i.clock + i.len))
        names.add(d.by)
    }
    return names.size > 0 ? [...names] : [SOMEONE]
  }

  close(): void {
    this.text.unobserve(this.observer)
  }

  private record(tr: Y.Transaction): void {
    if (tr.deleteSet.clients.size === 0) return
    const by = tr.local ? this.self : this.authorsOf(tr)
    tr.deleteSet.clients.forEach((items, client) => {
      for (const d of items) this.log.push({ client, clock: d.clock, len: d.len, by })
    })
    if (this.log.length > MAX_DELETIONS) this.log.splice(0, this.log.length - MAX_DELETIONS)
  }

  private authorsOf(tr: Y.Transaction): string {
    const own = this.text.doc!.clientID
    const inserters = [...tr.afterState]
      .filter(([client, clock]) => client !== own && clock > (tr.beforeState.get(client) ?? 0))
      .map(([client]) => client)
    const clients = inserters.length > 0 ? inserters : this.cursorsAt(this.placesOf(tr))
    const names = [...new Set(clients.map((c) => this.who.nameOf(c) ?? SOMEONE))]
    return names.length > 0 ? names.join(' or ') : SOMEONE
  }

  /** Where the change deleted text, as offsets in the text now. */
  private placesOf(tr: Y.Transaction): number[] {
    const places: number[] = []
    tr.deleteSet.clients.forEach((items, client) => {
      for (const d of items.slice(0, MAX_PLACES)) {
        const rp = new Y.RelativePosition(null, null, Y.createID(client, d.clock), 0)
        const at = this.resolve(rp)
        if (at !== null) places.push(at)
      }
    })
    return places
  }

  private cursorsAt(places: number[]): number[] {
    const own = this.text.doc!.clientID
    return this.who
      .cursors()
      .filter((c) => c.clientId !== own)
      .filter((c) => {
        const a = this.resolveJson(c.anchor)
        const h = this.resolveJson(c.head)
        if (a === null || h === null) return false
        return places.some((p) => Math.min(a, h) <= p && p <= Math.max(a, h))
      })
      .map((c) => c.clientId)
  }

  /**
   * An awareness position (from another client: anything) as an offset in this text, or null. Only character
   * positions are read, and the end of the text; a position naming a root type by name is not resolved (that
   * would create the type in the agent's document).
   */
  private resolveJson(json: unknown): number | null {
    if (typeof json !== 'object' || json === null) return null
    const { item, assoc } = json as { item?: unknown; assoc?: unknown }
    if (item === null) return this.text.length
    if (!isId(item)) return null
    try {
      const rp = new Y.RelativePosition(null, null, Y.createID(item.client, item.clock), Number(assoc) || 0)
      return this.resolve(rp)
    } catch {
      return null // a clock this document does not have
    }
  }

  private resolve(rp: Y.RelativePosition): number | null {
    const abs = Y.createAbsolutePositionFromRelativePosition(rp, this.text.doc!)
    return abs && abs.type === this.text ? abs.index : null
  }
}

function isId(x: unknown): x is { client: number; clock: number } {
  const id = x as { client?: unknown; clock?: unknown } | null
  return (
    typeof id === 'object' && id !== null && Number.isSafeInteger(id.client) && Number.isSafeInteger(id.clock)
  )
}
