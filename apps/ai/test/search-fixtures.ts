import * as Y from 'yjs'
import { loadDocumentUpdates, type Database } from '@mimiverse/db'
import { documentUpdates } from '@mimiverse/db/schema'
import { CONTENT_FIELD } from '@mimiverse/shared'
import type { EmbeddingService } from '../src/services/embeddings'
import { LOCAL_EMBED_MODEL, localEmbed } from '../src/services/local-embedder'

/** The search settings of tests: a fast poll and a short debounce, so edits are indexed at once. */
export const FAST_SEARCH = {
  SEARCH_POLL_MS: '20',
  SEARCH_DEBOUNCE_MS: '10',
  SEARCH_MAX_WAIT_MS: '200',
  SEARCH_INDEXER: 'true',
}

/**
 * The built-in embedder behind the service interface, recording every call: which texts the indexer asked to
 * embed. `model` changes the tag, as a backend switch would.
 */
export function newCountingEmbedder(model = LOCAL_EMBED_MODEL) {
  const calls: { texts: string[]; kind: string }[] = []
  const embedder: EmbeddingService & { calls: typeof calls; model: string } = {
    calls,
    model,
    embed(texts, options = {}) {
      calls.push({ texts, kind: options.kind ?? 'document' })
      const vectors = texts.map((t) => localEmbed(t, 768))
      return Promise.resolve({ model: embedder.model, backend: 'local', dimensions: 768, vectors })
    },
  }
  return embedder
}

/** Appends an edit to a document's log as the collab server does: an update on top of the stored state. */
export async function appendEdit(database: Database, docName: string, edit: (text: Y.Text) => void) {
  const doc = new Y.Doc()
  for (const u of await loadDocumentUpdates(database.db, docName)) Y.applyUpdate(doc, u)
  const before = Y.encodeStateVector(doc)
  doc.transact(() => edit(doc.getText(CONTENT_FIELD)))
  await database.db.insert(documentUpdates).values({ docName, update: Y.encodeStateAsUpdate(doc, before) })
  doc.destroy()
}
