import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { fuzzyFilter } from './fuzzy'

export interface PaletteItem {
  key: string
  label: string
  /** Shown muted before the label (a category) and matched with it. */
  prefix?: string
  /** Shown muted on the right (a shortcut, a folder). */
  hint?: string
}

export interface PaletteProps<T extends PaletteItem> {
  title: string
  placeholder: string
  items: readonly T[]
  onPick: (item: T) => void
  onClose: () => void
}

/** How many matches are drawn: more than anyone scrolls through; the query narrows the rest. */
const SHOWN = 60

/**
 * The quick-open and command palette box: a query field over a fuzzy-filtered list. Arrow keys move, Enter
 * picks, Escape or a click outside closes. Items keep the caller's order for ties (recent first).
 */
export function Palette<T extends PaletteItem>({
  title,
  placeholder,
  items,
  onPick,
  onClose,
}: PaletteProps<T>) {
  const [query, setQuery] = useState('')
  const [selected, setSelected] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  const list = useRef<HTMLUListElement>(null)
  const matches = useMemo(
    () => fuzzyFilter(items, query, (i) => (i.prefix ? `${i.prefix}: ${i.label}` : i.label)).slice(0, SHOWN),
    [items, query],
  )
  useEffect(() => input.current?.focus(), [])
  useEffect(() => setSelected(0), [query])
  useEffect(() => {
    list.current?.children[selected]?.scrollIntoView({ block: 'nearest' })
  }, [selected])

  const pick = (item: T | undefined) => {
    if (!item) return
    onClose()
    onPick(item)
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const move = { ArrowDown: 1, ArrowUp: -1 }[e.key]
    if (move !== undefined) {
      e.preventDefault()
      setSelected((s) => (s + move + matches.length) % Math.max(matches.length, 1))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      pick(matches[selected]?.item)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      onClose()
    }
  }
  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-label={title}>
        <input
          ref={input}
          className="palette-input"
          aria-label={title}
          placeholder={placeholder}
          value={query}
          spellCheck={false}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
        />
        <ul className="palette-list" id="palette-list" role="listbox" ref={list}>
          {matches.map(({ item }, i) => (
            <li
              key={item.key}
              role="option"
              aria-selected={i === selected}
              className={i === selected ? 'palette-item selected' : 'palette-item'}
              onMouseMove={() => setSelected(i)}
              onClick={() => pick(item)}
            >
              {item.prefix && <span className="palette-prefix">{item.prefix}: </span>}
              <span className="palette-label">{item.label}</span>
              {item.hint && <kbd className="palette-hint">{item.hint}</kbd>}
            </li>
          ))}
          {matches.length === 0 && <li className="palette-empty muted">No matches</li>}
        </ul>
      </div>
    </div>
  )
}
