import { useEffect, useState, useSyncExternalStore } from 'react'
import { api } from '../api/trpc'
import {
  CONNECTING,
  connectTerminalChannel,
  type ChannelState,
  type TerminalChannel,
} from './terminal-channel'

/** The project's terminal channel for as long as the panel is shown, and its state (re-rendered on change). */
export function useTerminals(projectId: string): { channel: TerminalChannel | null; state: ChannelState } {
  const [channel, setChannel] = useState<TerminalChannel | null>(null)
  useEffect(() => {
    const c = connectTerminalChannel(
      projectId,
      async () => (await api.collab.token.mutate({ projectId })).token,
    )
    setChannel(c)
    return () => c.close()
  }, [projectId])
  const state = useSyncExternalStore(
    (listener) => channel?.subscribe(listener) ?? (() => {}),
    () => channel?.state() ?? CONNECTING,
  )
  return { channel, state }
}
