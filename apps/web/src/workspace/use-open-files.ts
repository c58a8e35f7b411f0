import { useEffect, useMemo } from 'react'
import type { FileEntry } from '../api/trpc'
import type { OpenFile } from '../editor/editor-bindings'
import type { TabInfo } from '../ui/tabs-bar'
import type { Tabs } from './use-tabs'

export interface OpenFiles {
  byDoc: Map<string, FileEntry>
  /** Open tabs whose file is known, with its current path (renames included). */
  open: OpenFile[]
  tabs: TabInfo[]
  active: FileEntry | undefined
}

/** Joins open tabs (document names) with the polled file list; drops tabs whose file is gone. */
export function useOpenFiles(files: FileEntry[] | null, tabs: Tabs): OpenFiles {
  const byDoc = useMemo(() => new Map((files ?? []).map((f) => [f.docName, f])), [files])
  const { retain } = tabs
  useEffect(() => {
    if (files) retain((docName) => byDoc.has(docName))
  }, [files, byDoc, retain])

  const open = useMemo(
    () =>
      tabs.open.flatMap((docName) =>
        byDoc.has(docName) ? [{ docName, path: byDoc.get(docName)!.path }] : [],
      ),
    [tabs.open, byDoc],
  )
  const tabInfo = useMemo(
    () => tabs.open.map((docName) => ({ docName, path: byDoc.get(docName)?.path ?? null })),
    [tabs.open, byDoc],
  )
  return { byDoc, open, tabs: tabInfo, active: tabs.active ? byDoc.get(tabs.active) : undefined }
}
