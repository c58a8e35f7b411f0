import { useCallback, useEffect, useState } from 'react'
import { api, type FileEntry } from '../api/trpc'
import { problemMessage } from '../api/errors'

/**
 * A safety net only: the server announces every creation, rename and deletion (a `FILES_EVENT` on the project's
 * events document, see `useProjectEvent`), and the workspace reads the list again then.
 */
const POLL_MS = 30_000

export interface Files {
  files: FileEntry[] | null
  error: string | null
  refresh: () => Promise<void>
  create: (path: string) => Promise<Pick<FileEntry, 'id' | 'path' | 'docName'>>
  rename: (fileId: string, path: string) => Promise<void>
  remove: (fileId: string) => Promise<void>
}

/** The project's files, read again when told or focused, with the mutations the tree offers (each refreshes the list). */
export function useFiles(projectId: string): Files {
  const [files, setFiles] = useState<FileEntry[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    try {
      setFiles(await api.files.list.query({ projectId }))
      setError(null)
    } catch (e: unknown) {
      setError(problemMessage(e))
    }
  }, [projectId])

  useEffect(() => {
    void refresh()
    const timer = setInterval(() => void refresh(), POLL_MS)
    const onFocus = () => void refresh()
    window.addEventListener('focus', onFocus)
    return () => {
      clearInterval(timer)
      window.removeEventListener('focus', onFocus)
    }
  }, [refresh])

  return {
    files,
    error,
    refresh,
    create: async (path) => {
      const created = await api.files.create.mutate({ projectId, path })
      await refresh()
      return created
    },
    rename: async (fileId, path) => {
      await api.files.rename.mutate({ projectId, fileId, path })
      await refresh()
    },
    remove: async (fileId) => {
      await api.files.delete.mutate({ projectId, fileId })
      await refresh()
    },
  }
}
