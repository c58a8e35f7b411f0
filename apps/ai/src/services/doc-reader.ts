import { asc, eq } from 'drizzle-orm'
import * as Y from 'yjs'
import type { Db } from '@mimiverse/db'
import { documentSnapshots, documentUpdates } from '@mimiverse/db/schema'
import { CONTENT_FIELD } from '@mimiverse/shared'

/**
 * Read-only access to a shared document's current text, the read side of the collab server's DocStore
 * (apps/collab/src/services/doc-store.ts `load`/`readText`): the snapshot plus the update log after it, applied
 * to a fresh Y.Doc. It sees every acknowledged edit (the collab server logs each update before acknowledging
 * it), never writes, and never compacts. Duplicated here because apps do not import each other; it belongs
 * in `db` next to the tables (see the issue 4 report).
 */
export interface DocReader {
  /** The text of `docName`; an empty string when nothing is stored. */
  readText(docName: string): Promise<string>
}

export function createDocReader(db: Db): DocReader {
  return {
    async readText(docName) {
      const [snapshot] = await db
        .select({ state: documentSnapshots.state })
        .from(documentSnapshots)
        .where(eq(documentSnapshots.docName, docName))
      const tail = await db
        .select({ update: documentUpdates.update })
        .from(documentUpdates)
        .where(eq(documentUpdates.docName, docName))
        .orderBy(asc(documentUpdates.seq))
      const doc = new Y.Doc()
      try {
        doc.transact(() => {
          if (snapshot) Y.applyUpdate(doc, snapshot.state)
          for (const row of tail) Y.applyUpdate(doc, row.update)
        })
        return doc.getText(CONTENT_FIELD).toString()
      } finally {
        doc.destroy()
      }
    },
  }
}
