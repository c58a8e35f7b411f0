import { useCallback, useEffect, useState } from 'react'
import { aiApi, type AiOutputs } from '../ai/ai-client'
import { problemMessage } from '../api/errors'

export type McpServerInfo = AiOutputs['agent']['mcpServers']['servers'][number]

/**
 * The project's MCP servers whose tools Mimi may call (`agent.mcpServers`, `agent.addMcpServer`,
 * `agent.removeMcpServer`). A bearer typed here goes to the server once and is never shown again: the list only
 * says whether one is set.
 */
export function useMcpServers(projectId: string) {
  const [servers, setServers] = useState<McpServerInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  const reload = useCallback(async () => {
    try {
      setServers((await aiApi.agent.mcpServers.query({ projectId })).servers)
    } catch (e: unknown) {
      setError(problemMessage(e))
    }
  }, [projectId])
  useEffect(() => void reload(), [reload])

  const act = async (work: () => Promise<unknown>): Promise<boolean> => {
    setError(null)
    try {
      await work()
      await reload()
      return true
    } catch (e: unknown) {
      setError(problemMessage(e))
      return false
    }
  }
  return {
    servers,
    error,
    add: (s: { name: string; url: string; bearer: string }) =>
      act(() =>
        aiApi.agent.addMcpServer.mutate({
          projectId,
          name: s.name,
          url: s.url,
          ...(s.bearer ? { bearer: s.bearer } : {}),
        }),
      ),
    remove: (serverId: string) => act(() => aiApi.agent.removeMcpServer.mutate({ serverId })),
  }
}
