import { useEffect, useRef, useState } from 'react'
import { api, type FileEntry } from '../api/trpc'
import { isBound } from '../editor/model-uri'
import { monaco } from '../editor/monaco-setup'
import { ProjectModels, isScript } from './project-models'
import { revalidateAll } from './ts-defaults'

/** How often files that are not open are read again: there is no push of their text to clients without them. */
const REFRESH_MS = 3000
/** Edits are followed by one check of every model, after typing pauses. */
const REVALIDATE_MS = 1200

/**
 * Gives Monaco's TypeScript worker the project's TS/JS files (see ProjectModels), reads the ones not open again
 * every few seconds, and has every model checked again when any of them changed, so errors show across files.
 * Returns a notice when the project is over a bound (null otherwise).
 */
export function useProjectModels(projectId: string, files: FileEntry[] | null): string | null {
  const modelsRef = useRef<ProjectModels | null>(null)
  const [limited, setLimited] = useState<string | null>(null)

  useEffect(() => {
    const models = new ProjectModels(
      async (path) => (await api.files.read.query({ projectId, path })).content,
    )
    modelsRef.current = models
    let timer: ReturnType<typeof setTimeout> | undefined
    const revalidateSoon = () => {
      clearTimeout(timer)
      timer = setTimeout(revalidateAll, REVALIDATE_MS)
    }
    // Edits in open files (ours or others') change what their importers see.
    const watched = new Map<string, monaco.IDisposable>()
    const watch = (model: monaco.editor.ITextModel) => {
      if (!isBound(model.uri) || !isScript(model.uri.path)) return
      watched.get(model.uri.toString())?.dispose()
      watched.set(model.uri.toString(), model.onDidChangeContent(revalidateSoon))
    }
    const subs = [
      monaco.editor.onDidCreateModel((m) => queueMicrotask(() => !m.isDisposed() && watch(m))),
      monaco.editor.onWillDisposeModel((m) => {
        watched.get(m.uri.toString())?.dispose()
        watched.delete(m.uri.toString())
      }),
    ]
    monaco.editor.getModels().forEach(watch)
    let busy = false
    const interval = setInterval(() => {
      if (busy) return
      busy = true
      void models
        .refresh()
        .then((changed) => changed && revalidateSoon())
        .finally(() => (busy = false))
    }, REFRESH_MS)
    return () => {
      clearInterval(interval)
      clearTimeout(timer)
      subs.forEach((s) => s.dispose())
      watched.forEach((w) => w.dispose())
      models.dispose()
      modelsRef.current = null
    }
  }, [projectId])

  // The polled list brings a new array every few seconds; only a change of paths matters.
  const paths = files?.map((f) => f.path).join('\n') ?? null
  useEffect(() => {
    const models = modelsRef.current
    if (!models || paths === null) return
    void models.sync(paths ? paths.split('\n') : []).then((changed) => {
      setLimited(models.limited)
      if (changed) revalidateAll()
    })
  }, [paths])

  return limited
}
