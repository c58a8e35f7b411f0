import { useState } from 'react'
import type { TreeNode } from '../workspace/file-tree'

export type TreeAction =
  { kind: 'new-file' | 'new-folder'; folder: string } | { kind: 'rename' | 'delete'; node: TreeNode }

interface TreeProps {
  nodes: TreeNode[]
  activeFileId: string | null
  canWrite: boolean
  onOpen: (fileId: string) => void
  onAction: (action: TreeAction) => void
}

/** The project's files as a collapsible tree; editors get create, rename and delete actions on hover. */
export function FileTreeView(props: TreeProps) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set())
  const toggle = (path: string) =>
    setCollapsed((c) => {
      const next = new Set(c)
      if (!next.delete(path)) next.add(path)
      return next
    })
  return (
    <ul className="tree" role="tree" aria-label="Files">
      {props.nodes.map((n) => (
        <TreeItem key={n.path} node={n} depth={0} collapsed={collapsed} toggle={toggle} {...props} />
      ))}
    </ul>
  )
}

function TreeItem(
  props: TreeProps & {
    node: TreeNode
    depth: number
    collapsed: ReadonlySet<string>
    toggle: (p: string) => void
  },
) {
  const { node, depth, collapsed, canWrite, onAction } = props
  const open = node.kind === 'folder' && !collapsed.has(node.path)
  const active = node.kind === 'file' && node.fileId === props.activeFileId
  const activate = () => (node.kind === 'folder' ? props.toggle(node.path) : props.onOpen(node.fileId))
  return (
    <li role="treeitem" aria-expanded={node.kind === 'folder' ? open : undefined} aria-selected={active}>
      <div
        className={`tree-row${active ? ' active' : ''}`}
        style={{ paddingLeft: 8 + depth * 14 }}
        data-path={node.path}
        onClick={activate}
      >
        <span
          className={`tree-icon ${node.kind === 'folder' ? (open ? 'folder-open' : 'folder') : 'file'}`}
          aria-hidden="true"
        />
        <span className="tree-name">{node.name}</span>
        {canWrite && (
          <span className="tree-actions" onClick={(e) => e.stopPropagation()}>
            {node.kind === 'folder' && (
              <>
                <button
                  title="New file"
                  aria-label={`New file in ${node.path}`}
                  onClick={() => onAction({ kind: 'new-file', folder: node.path })}
                >
                  +
                </button>
                <button
                  title="New folder"
                  aria-label={`New folder in ${node.path}`}
                  onClick={() => onAction({ kind: 'new-folder', folder: node.path })}
                >
                  ⊞
                </button>
              </>
            )}
            <button
              title="Rename"
              aria-label={`Rename ${node.path}`}
              onClick={() => onAction({ kind: 'rename', node })}
            >
              ✎
            </button>
            <button
              title="Delete"
              aria-label={`Delete ${node.path}`}
              onClick={() => onAction({ kind: 'delete', node })}
            >
              🗑
            </button>
          </span>
        )}
      </div>
      {node.kind === 'folder' && open && (
        <ul role="group">
          {node.children.map((c) => (
            <TreeItem key={c.path} {...props} node={c} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  )
}
