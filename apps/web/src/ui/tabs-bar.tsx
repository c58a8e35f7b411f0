export interface TabInfo {
  docName: string
  /** The file's path, or null while the file list has not caught up. */
  path: string | null
}

/** Editor tabs: click to show, middle-click or × to close. */
export function TabsBar(props: {
  tabs: TabInfo[]
  active: string | null
  onShow: (docName: string) => void
  onClose: (docName: string) => void
}) {
  return (
    <div className="tabs" role="tablist" aria-label="Open files">
      {props.tabs.map(({ docName, path }) => (
        <div
          key={docName}
          role="tab"
          aria-selected={docName === props.active}
          className={`tab${docName === props.active ? ' active' : ''}`}
          title={path ?? undefined}
          data-path={path ?? undefined}
          onClick={() => props.onShow(docName)}
          onAuxClick={(e) => e.button === 1 && props.onClose(docName)}
        >
          <span className="tab-name">{path?.split('/').pop() ?? '…'}</span>
          <button
            className="tab-close"
            aria-label={`Close ${path ?? 'tab'}`}
            onClick={(e) => {
              e.stopPropagation()
              props.onClose(docName)
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
