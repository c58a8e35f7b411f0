/** A node of the file tree. Folders are implied by file paths; empty folders only live in the client. */
export type TreeNode =
  | { kind: 'folder'; name: string; path: string; children: TreeNode[] }
  | { kind: 'file'; name: string; path: string; fileId: string }

/** Builds a sorted tree (folders first, then by name) from file paths plus extra, possibly empty, folders. */
export function buildTree(files: { id: string; path: string }[], extraFolders: string[] = []): TreeNode[] {
  const root: TreeNode & { kind: 'folder' } = { kind: 'folder', name: '', path: '', children: [] }
  const folderAt = (path: string) => ensureFolder(root, path)
  for (const folder of extraFolders) folderAt(folder)
  for (const file of files) {
    const slash = file.path.lastIndexOf('/')
    const parent = slash < 0 ? root : folderAt(file.path.slice(0, slash))
    parent.children.push({ kind: 'file', name: file.path.slice(slash + 1), path: file.path, fileId: file.id })
  }
  sortTree(root.children)
  return root.children
}

function ensureFolder(root: TreeNode & { kind: 'folder' }, path: string): TreeNode & { kind: 'folder' } {
  let node = root
  for (const name of path.split('/').filter(Boolean)) {
    const childPath = node.path ? `${node.path}/${name}` : name
    let child = node.children.find(
      (c): c is TreeNode & { kind: 'folder' } => c.kind === 'folder' && c.name === name,
    )
    if (!child) {
      child = { kind: 'folder', name, path: childPath, children: [] }
      node.children.push(child)
    }
    node = child
  }
  return node
}

function sortTree(nodes: TreeNode[]): void {
  nodes.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'folder' ? -1 : 1))
  for (const n of nodes) if (n.kind === 'folder') sortTree(n.children)
}

/** Joins a folder and a name into a project path (`''` is the root). */
export function joinPath(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name
}

/** The new path of `path` when the folder `from` is renamed to `to`; `null` when it is not inside `from`. */
export function movedPath(path: string, from: string, to: string): string | null {
  return path.startsWith(`${from}/`) ? `${to}/${path.slice(from.length + 1)}` : null
}
