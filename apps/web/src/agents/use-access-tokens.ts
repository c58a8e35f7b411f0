import { useCallback, useEffect, useState } from 'react'
import { aiApi, type AiOutputs } from '../ai/ai-client'
import { problemMessage } from '../api/errors'

export type AccessTokenInfo = AiOutputs['mcp']['tokens'][number]
type Role = AccessTokenInfo['role']

/**
 * The project's personal access tokens for outside agents (`mcp.tokens`, `mcp.createToken`,
 * `mcp.revokeToken`): owners see every token of the project, others their own. The secret of a new token is
 * kept only here, in memory, until the dialog closes: the server never shows it again.
 */
export function useAccessTokens(projectId: string) {
  const [tokens, setTokens] = useState<AccessTokenInfo[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [created, setCreated] = useState<{ token: string; info: AccessTokenInfo } | null>(null)

  const reload = useCallback(async () => {
    try {
      setTokens(await aiApi.mcp.tokens.query({ projectId }))
    } catch (e: unknown) {
      setError(problemMessage(e))
    }
  }, [projectId])
  useEffect(() => void reload(), [reload])

  const act = async (work: () => Promise<void>) => {
    setError(null)
    try {
      await work()
      await reload()
    } catch (e: unknown) {
      setError(problemMessage(e))
    }
  }
  return {
    tokens,
    error,
    created,
    create: (label: string, role: Role) =>
      act(async () => setCreated(await aiApi.mcp.createToken.mutate({ projectId, label, role }))),
    revoke: (tokenId: string) =>
      act(async () => {
        await aiApi.mcp.revokeToken.mutate({ tokenId })
        if (created?.info.id === tokenId) setCreated(null)
      }),
  }
}
