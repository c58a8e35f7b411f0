import { useRef, type KeyboardEvent, type PointerEvent } from 'react'

export interface SplitterProps {
  /** What it resizes, for assistive technology ("Resize the sidebar"). */
  label: string
  /** `x`: drags left and right (a column's width); `y`: up and down (a panel's height). */
  axis: 'x' | 'y'
  /** +1 when dragging right (or down) makes the panel bigger, -1 when it makes it smaller. */
  direction: 1 | -1
  size: number
  min: number
  max: number
  onResize: (size: number) => void
  className?: string
  testId?: string
}

/** Arrow keys move the edge by this many pixels (Shift: five times as much). */
const KEY_STEP = 16

/** A draggable edge between two panels, also moved with the arrow keys when focused. */
export function Splitter(props: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null)
  const position = (e: PointerEvent) => (props.axis === 'x' ? e.clientX : e.clientY)
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault()
    e.currentTarget.setPointerCapture(e.pointerId)
    drag.current = { start: position(e), size: props.size }
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (d) props.onResize(d.size + props.direction * (position(e) - d.start))
  }
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = null
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId)
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys = props.axis === 'x' ? ['ArrowLeft', 'ArrowRight'] : ['ArrowUp', 'ArrowDown']
    const sign = e.key === keys[1] ? 1 : e.key === keys[0] ? -1 : 0
    if (!sign) return
    e.preventDefault()
    props.onResize(props.size + sign * props.direction * KEY_STEP * (e.shiftKey ? 5 : 1))
  }
  return (
    <div
      role="separator"
      aria-label={props.label}
      aria-orientation={props.axis === 'x' ? 'vertical' : 'horizontal'}
      aria-valuenow={props.size}
      aria-valuemin={props.min}
      aria-valuemax={props.max}
      tabIndex={0}
      className={`splitter splitter-${props.axis} ${props.className ?? ''}`}
      data-testid={props.testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
    />
  )
}
