import { useEffect, useRef } from 'react'
import type { FileEntry } from '../api/trpc'
import { pathOfUri } from '../editor/model-uri'
import { monaco } from '../editor/monaco-setup'
import type { RevealTarget } from '../editor/use-reveal-line'
import { registerRenameAcrossFiles } from './rename-across-files'

/**
 * Go to definition (and Peek's "open") into a project file that is not the shown one opens it as a tab at the
 * target line: Monaco alone can only move within the current model. Rename symbol edits other files through
 * their shared documents (rename-across-files.ts).
 */
export function useCrossFile(opts: {
  files: FileEntry[] | null
  openByUser: (docName: string) => void
  addTabs: (docNames: string[]) => void
  reveal: (target: RevealTarget) => void
}): void {
  const latest = useRef(opts)
  latest.current = opts
  useEffect(() => {
    const opener = monaco.editor.registerEditorOpener({
      openCodeEditor(_source, resource, at) {
        const path = pathOfUri(resource)
        const file = path ? latest.current.files?.find((f) => f.path === path) : undefined
        if (!file) return false
        const line = at && 'startLineNumber' in at ? at.startLineNumber : (at?.lineNumber ?? 1)
        latest.current.openByUser(file.docName)
        latest.current.reveal({ docName: file.docName, line })
        return true
      },
    })
    const rename = registerRenameAcrossFiles({
      files: () => latest.current.files,
      openTabs: (docNames) => latest.current.addTabs(docNames),
    })
    return () => {
      opener.dispose()
      rename.dispose()
    }
  }, [])
}
