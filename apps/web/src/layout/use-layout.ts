import { useCallback, useEffect, useState } from 'react'
import {
  clampSize,
  LAYOUT_KEY,
  parseLayout,
  PRESETS,
  type Layout,
  type Panel,
  type PresetName,
} from './layout'

export interface LayoutApi {
  layout: Layout
  resize: (panel: Panel, size: number) => void
  /** Applies a preset's sizes; the caller opens or closes the chat as the preset says. */
  apply: (preset: PresetName) => void
}

function read(): Layout {
  try {
    return parseLayout(localStorage.getItem(LAYOUT_KEY))
  } catch {
    return parseLayout(null)
  }
}

/** The panel sizes, remembered in this browser. */
export function useLayout(): LayoutApi {
  const [layout, setLayout] = useState<Layout>(read)
  useEffect(() => {
    try {
      localStorage.setItem(LAYOUT_KEY, JSON.stringify(layout))
    } catch {
      // Storage full or disabled: the layout still applies to this page.
    }
  }, [layout])
  const resize = useCallback(
    (panel: Panel, size: number) => setLayout((l) => ({ ...l, [panel]: clampSize(panel, size) })),
    [],
  )
  const apply = useCallback((preset: PresetName) => setLayout({ ...PRESETS[preset].layout }), [])
  return { layout, resize, apply }
}
