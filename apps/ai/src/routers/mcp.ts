import { createTokenInput, revokeTokenInput, tokensInput } from '../contracts/mcp'
import type { AccessTokenInfo, CreatedToken } from '../services/mcp/tokens'
import { authedProcedure, router } from '../trpc'

/**
 * Personal access tokens for outside agents that join over `/mcp`. Any member creates tokens for the project
 * with a role no higher than their own (the secret is in the answer, once); owners list and revoke every token
 * of the project, others their own. Revoking ends the token's MCP sessions.
 */
export const mcpRouter = router({
  createToken: authedProcedure
    .input(createTokenInput)
    .mutation(({ ctx, input }): Promise<CreatedToken> => ctx.services.mcpTokens.create(ctx.user, input)),
  tokens: authedProcedure
    .input(tokensInput)
    .query(({ ctx, input }): Promise<AccessTokenInfo[]> =>
      ctx.services.mcpTokens.list(ctx.user, input.projectId),
    ),
  revokeToken: authedProcedure
    .input(revokeTokenInput)
    .mutation(({ ctx, input }): Promise<AccessTokenInfo> =>
      ctx.services.mcpTokens.revoke(ctx.user, input.tokenId),
    ),
})
