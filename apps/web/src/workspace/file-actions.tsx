import { useState, type ReactNode } from 'react'
import { filePathProblem } from '@mimiverse/shared'
import { ConfirmDialog } from '../ui/confirm-dialog'
import type { TreeAction } from '../ui/file-tree-view'
import { NameDialog } from '../ui/name-dialog'
import { joinPath, movedPath } from './file-tree'
import type { Files } from './use-files'

export interface FileActions {
  request: (action: TreeAction) => void
  /** Folders created in this session that hold no file yet (the server only knows files). */
  emptyFolders: string[]
  dialog: ReactNode
}

const checkPath = (path: string) => filePathProblem(path)

/** The dialogs behind the tree's actions. Folder actions apply to every file under the folder. */
export function useFileActions(
  files: Files,
  openFile: (fileId: string, docName: string) => void,
): FileActions {
  const [action, setAction] = useState<TreeAction | null>(null)
  const [emptyFolders, setEmptyFolders] = useState<string[]>([])
  const close = () => setAction(null)
  const under = (folder: string) => (files.files ?? []).filter((f) => f.path.startsWith(`${folder}/`))

  const dialogFor = (a: TreeAction): ReactNode => {
    switch (a.kind) {
      case 'new-file':
        return (
          <NameDialog
            title="New file"
            label="Path"
            initial={joinPath(a.folder, '')}
            submitLabel="Create"
            validate={checkPath}
            onClose={close}
            onSubmit={async (path) => {
              const created = await files.create(path)
              setEmptyFolders((fs) => fs.filter((f) => !path.startsWith(`${f}/`)))
              openFile(created.id, created.docName)
            }}
          />
        )
      case 'new-folder':
        return (
          <NameDialog
            title="New folder"
            label="Path"
            initial={joinPath(a.folder, '')}
            submitLabel="Create"
            validate={checkPath}
            onClose={close}
            onSubmit={(path) => {
              setEmptyFolders((fs) => [...fs, path])
              return Promise.resolve()
            }}
          />
        )
      case 'rename':
        return (
          <NameDialog
            title={`Rename ${a.node.name}`}
            label="New path"
            initial={a.node.path}
            submitLabel="Rename"
            validate={checkPath}
            onClose={close}
            onSubmit={async (to) => {
              if (a.node.kind === 'file') return files.rename(a.node.fileId, to)
              for (const f of under(a.node.path))
                await files.rename(f.id, movedPath(f.path, a.node.path, to)!)
              setEmptyFolders((fs) =>
                fs.map((f) => (f === a.node.path ? to : (movedPath(f, a.node.path, to) ?? f))),
              )
            }}
          />
        )
      case 'delete': {
        const targets = a.node.kind === 'file' ? [{ id: a.node.fileId }] : under(a.node.path)
        return (
          <ConfirmDialog
            title={`Delete ${a.node.name}`}
            confirmLabel="Delete"
            onClose={close}
            message={
              a.node.kind === 'file'
                ? `Delete "${a.node.path}" for everyone? This cannot be undone.`
                : `Delete the folder "${a.node.path}" and its ${targets.length} file(s) for everyone? This cannot be undone.`
            }
            onConfirm={async () => {
              for (const f of targets) await files.remove(f.id)
              setEmptyFolders((fs) => fs.filter((f) => f !== a.node.path && !f.startsWith(`${a.node.path}/`)))
            }}
          />
        )
      }
    }
  }
  return { request: setAction, emptyFolders, dialog: action ? dialogFor(action) : null }
}
