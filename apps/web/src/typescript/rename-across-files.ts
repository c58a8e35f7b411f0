import type { FileEntry } from '../api/trpc'
import { isBound, modelUri, pathOfUri } from '../editor/model-uri'
import { monaco } from '../editor/monaco-setup'

interface RenameLocation {
  fileName: string
  textSpan: { start: number; length: number }
  prefixText?: string
  suffixText?: string
}

export interface RenameHost {
  files: () => FileEntry[] | null
  /** Opens these files as tabs (without showing them), so their models become their shared documents'. */
  openTabs: (docNames: string[]) => void
}

/** How long a rename waits for the files it touches to be opened and synced. */
const BIND_TIMEOUT_MS = 15_000

/**
 * Rename symbol across files edits every file through its collaborative document: the files it touches that
 * are not open are opened as tabs first and the rename waits until they are bound, then edits only bound models
 * (y-monaco turns them into shared edits). Registered after Monaco's own provider, so it is asked first; a
 * rename it cannot do that way is refused with a message rather than edited into a private copy.
 */
export function registerRenameAcrossFiles(host: RenameHost): monaco.IDisposable {
  const provider: monaco.languages.RenameProvider = {
    async provideRenameEdits(model, position, newName) {
      const locations = await findLocations(model, position)
      if (!locations) return undefined
      const paths = [...new Set(locations.map((l) => pathOfUri(monaco.Uri.parse(l.fileName))))]
      if (paths.some((p) => p === null))
        throw new Error('This rename would change files outside the project.')
      const closed = (paths as string[]).filter((p) => !isBound(modelUri(p)))
      if (closed.length > 0) {
        const files = host.files() ?? []
        const docs = closed.map((p) => files.find((f) => f.path === p)?.docName)
        if (docs.some((d) => !d))
          throw new Error('This rename would change a file the project no longer has.')
        host.openTabs(docs as string[])
        if (!(await bound(closed))) {
          throw new Error(`Rename needs ${closed.join(', ')} open; they did not open in time. Try again.`)
        }
      }
      // Asked again: binding replaced the worker's copies with the shared documents' text.
      const fresh = (await findLocations(model, position)) ?? []
      return { edits: fresh.flatMap((l) => toEdit(l, newName)) }
    },
  }
  const subs = ['typescript', 'javascript'].map((lang) =>
    monaco.languages.registerRenameProvider(lang, provider),
  )
  return { dispose: () => subs.forEach((s) => s.dispose()) }
}

async function findLocations(
  model: monaco.editor.ITextModel,
  position: monaco.Position,
): Promise<RenameLocation[] | undefined> {
  const ts = monaco.typescript
  const getWorker = model.getLanguageId() === 'typescript' ? ts.getTypeScriptWorker : ts.getJavaScriptWorker
  const worker = await (await getWorker())(model.uri)
  const found = await worker.findRenameLocations(
    model.uri.toString(),
    model.getOffsetAt(position),
    false,
    false,
    false,
  )
  return found as RenameLocation[] | undefined
}

function toEdit(l: RenameLocation, newName: string): monaco.languages.IWorkspaceTextEdit[] {
  const target = monaco.editor.getModel(monaco.Uri.parse(l.fileName))
  if (!target || !isBound(target.uri)) return []
  const start = target.getPositionAt(l.textSpan.start)
  const end = target.getPositionAt(l.textSpan.start + l.textSpan.length)
  return [
    {
      resource: target.uri,
      versionId: undefined,
      textEdit: {
        range: monaco.Range.fromPositions(start, end),
        text: `${l.prefixText ?? ''}${newName}${l.suffixText ?? ''}`,
      },
    },
  ]
}

/** Resolves true once every path's model is bound, false after the timeout. */
function bound(paths: string[]): Promise<boolean> {
  const all = () => paths.every((p) => isBound(modelUri(p)))
  if (all()) return Promise.resolve(true)
  return new Promise((resolve) => {
    const sub = monaco.editor.onDidCreateModel(() => {
      if (!all()) return
      finish(true)
    })
    const timer = setTimeout(() => finish(false), BIND_TIMEOUT_MS)
    function finish(ok: boolean) {
      sub.dispose()
      clearTimeout(timer)
      resolve(ok)
    }
  })
}
