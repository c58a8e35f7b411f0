/**
 * A copy of each open document in this browser's IndexedDB, so that edits made while the server cannot be
 * reached survive a reload or a browser restart, and merge when the connection is back (the provider's sync
 * handshake sends the server exactly what it lacks).
 *
 * One database per signed-in user (`mimiverse-local-<userId>`), one record per document: the whole Yjs state,
 * written at most every `SAVE_DELAY_MS` while the document changes. The newest `MAX_DOCUMENTS` documents are
 * kept; sign-out deletes the user's database. Without IndexedDB (some private windows) nothing is kept and
 * editing works as before.
 */
import * as Y from 'yjs'

const STORE = 'documents'
const SAVE_DELAY_MS = 300
const MAX_DOCUMENTS = 200

interface StoredDocument {
  docName: string
  state: Uint8Array
  savedAt: number
}

export function localDatabaseName(userId: string): string {
  return `mimiverse-local-${userId}`
}

/** What an open document's copy tells its session. */
export interface LocalCopy {
  /** The stored state, or null when there is none (or no IndexedDB). */
  load(): Promise<Uint8Array | null>
  /** Whether changes since the last completed write are still to be written. */
  pending(): boolean
  destroy(): void
}

export class LocalStore {
  private db: Promise<IDBDatabase | null> | null = null

  constructor(
    private readonly userId: string,
    private readonly onSaved: () => void = () => {},
  ) {}

  /** Starts keeping `doc` under `docName`: every change is written after a short delay. */
  open(docName: string, doc: Y.Doc): LocalCopy {
    let timer: ReturnType<typeof setTimeout> | undefined
    let dirty = false
    let writing = false
    const save = () => {
      timer = undefined
      if (!dirty || writing) return
      dirty = false
      writing = true
      const record: StoredDocument = { docName, state: Y.encodeStateAsUpdate(doc), savedAt: Date.now() }
      void this.write(record).finally(() => {
        writing = false
        if (dirty) timer ??= setTimeout(save, SAVE_DELAY_MS)
        this.onSaved()
      })
    }
    const changed = () => {
      dirty = true
      timer ??= setTimeout(save, SAVE_DELAY_MS)
    }
    doc.on('update', changed)
    return {
      load: () => this.read(docName),
      pending: () => dirty || writing,
      destroy: () => {
        doc.off('update', changed)
        clearTimeout(timer)
        // Written before the document goes: closing a tab must not drop its last edits.
        if (dirty) save()
      },
    }
  }

  /** Closes the database (sign-out deletes it, which waits for open connections). */
  close(): void {
    void this.db?.then((db) => db?.close())
  }

  private database(): Promise<IDBDatabase | null> {
    this.db ??= new Promise((resolve) => {
      if (typeof indexedDB === 'undefined') return resolve(null)
      const request = indexedDB.open(localDatabaseName(this.userId), 1)
      request.onupgradeneeded = () => {
        const store = request.result.createObjectStore(STORE, { keyPath: 'docName' })
        store.createIndex('savedAt', 'savedAt')
      }
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => resolve(null)
      request.onblocked = () => resolve(null)
    })
    return this.db
  }

  private async read(docName: string): Promise<Uint8Array | null> {
    const db = await this.database()
    if (!db) return null
    return new Promise((resolve) => {
      const request = db.transaction(STORE).objectStore(STORE).get(docName)
      request.onsuccess = () => resolve((request.result as StoredDocument | undefined)?.state ?? null)
      request.onerror = () => resolve(null)
    })
  }

  private async write(record: StoredDocument): Promise<void> {
    const db = await this.database()
    if (!db) return
    await new Promise<void>((resolve) => {
      const tx = db.transaction(STORE, 'readwrite')
      const store = tx.objectStore(STORE)
      store.put(record)
      // Oldest first; past the bound, the least recently saved documents go.
      const count = store.count()
      count.onsuccess = () => {
        let excess = count.result - MAX_DOCUMENTS
        if (excess <= 0) return
        const cursor = store.index('savedAt').openCursor()
        cursor.onsuccess = () => {
          const c = cursor.result
          if (!c || excess-- <= 0) return
          c.delete()
          c.continue()
        }
      }
      tx.oncomplete = () => resolve()
      tx.onerror = () => resolve()
      tx.onabort = () => resolve()
    })
  }
}

/** Forgets everything this browser kept for a user (at sign-out). */
export function deleteLocalCopies(userId: string): Promise<void> {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') return resolve()
    const request = indexedDB.deleteDatabase(localDatabaseName(userId))
    request.onsuccess = request.onerror = request.onblocked = () => resolve()
  })
}
