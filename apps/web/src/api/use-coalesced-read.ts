import { useCallback, useRef } from 'react'

/**
 * A refresh that runs `read` one at a time: a call while a read is under way runs one more read when it ends,
 * so bursts (announcements from every open file, a timer and focus at once) collapse into at most two reads.
 * `read` handles its own errors; the refresh changes identity only when `read` does.
 */
export function useCoalescedRead(read: () => Promise<unknown>): () => void {
  const state = useRef<{ busy: boolean; again: boolean }>({ busy: false, again: false })
  const refresh = useCallback(() => {
    const s = state.current
    if (s.busy) {
      s.again = true
      return
    }
    s.busy = true
    void read().finally(() => {
      s.busy = false
      if (s.again) {
        s.again = false
        refresh()
      }
    })
  }, [read])
  return refresh
}
