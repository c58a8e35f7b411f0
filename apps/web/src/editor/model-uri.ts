import { monaco } from './monaco-setup'

/**
 * Every project file's Monaco model is `file:///<path>`, whether it is bound to its shared document (an open
 * tab) or only known to the TypeScript worker (typescript/project-models.ts): TypeScript resolves imports by
 * these paths and must see one model per file, never two.
 */
export function modelUri(path: string): monaco.Uri {
  return monaco.Uri.file(`/${path}`)
}

/** The project path of a `file:///` model URI. */
export function pathOfUri(uri: monaco.Uri): string | null {
  return uri.scheme === 'file' ? uri.path.replace(/^\/+/, '') : null
}

/** Which document each bound model shows (keyed by the model's URI). */
const boundDocs = new Map<string, string>()

export function registerBoundModel(uri: monaco.Uri, docName: string): void {
  boundDocs.set(uri.toString(), docName)
}

export function unregisterBoundModel(uri: monaco.Uri): void {
  boundDocs.delete(uri.toString())
}

/** The document name of a model bound to a shared document; null for any other model. */
export function docNameOfUri(uri: monaco.Uri): string | null {
  return boundDocs.get(uri.toString()) ?? null
}

/** Whether the model at this URI is an open file's (its text comes from the shared document). */
export function isBound(uri: monaco.Uri): boolean {
  return boundDocs.has(uri.toString())
}
