import {
  searchQueryInput,
  searchStatusInput,
  type SearchResults,
  type SearchStatus,
} from '../contracts/search'
import { authedProcedure, router } from '../trpc'
import { limited } from './limited'

/** Code search (issue 5). Any member of the project may search, reviewers included; nobody else. */
export const searchRouter = router({
  query: authedProcedure.input(searchQueryInput).query(async ({ ctx, input }): Promise<SearchResults> => {
    const { services } = ctx
    await limited(services.limits.search, services.metrics, 'search', ctx.user.id)
    await services.workspace.requireMember(ctx.user.id, input.projectId)
    return services.search.query(input)
  }),
  status: authedProcedure.input(searchStatusInput).query(async ({ ctx, input }): Promise<SearchStatus> => {
    await ctx.services.workspace.requireMember(ctx.user.id, input.projectId)
    return ctx.services.search.status(input.projectId)
  }),
})
