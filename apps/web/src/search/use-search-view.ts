import { useCallback, useState } from 'react'
import { docNameFor } from '@mimiverse/shared'
import type { FileEntry } from '../api/trpc'
import type { RevealTarget } from '../editor/use-reveal-line'
import { useSearchShortcut } from './use-search-shortcut'
import { useSearchStatus } from './use-search-status'

/**
 * The sidebar's search view: whether it is shown, the Ctrl/Cmd+Shift+F shortcut, index status polling while
 * search is shown, and opening a result at its line.
 */
export function useSearchView(opts: {
  projectId: string
  fileList: FileEntry[] | null
  refresh: () => Promise<void>
  reveal: (target: RevealTarget) => void
  openByUser: (docName: string) => void
}) {
  const { projectId, fileList, refresh, reveal, openByUser } = opts
  const [open, setOpen] = useState(false)
  const [focusRequest, setFocusRequest] = useState(0)
  const openSearch = useCallback(() => {
    setOpen(true)
    setFocusRequest((n) => n + 1)
  }, [])
  useSearchShortcut(openSearch)
  const status = useSearchStatus(projectId, open)
  const openAt = (fileId: string, line: number) => {
    const docName = docNameFor(projectId, fileId)
    // A file created since the list was last polled: fetch the list, or its tab would be dropped as unknown.
    if (!fileList?.some((f) => f.id === fileId)) void refresh()
    openByUser(docName)
    reveal({ docName, line })
  }
  return { open, setOpen, openSearch, focusRequest, status, openAt }
}
