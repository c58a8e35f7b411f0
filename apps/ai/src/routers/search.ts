import { AppError, ErrorCode } from '@mimiverse/shared'
import {
  searchQueryInput,
  searchStatusInput,
  type SearchResults,
  type SearchStatus,
} from '../contracts/search'
import { authedProcedure, router } from '../trpc'

// Contract stub: the implementation lands with issue 5.
const notYet = (): never => {
  throw new AppError(ErrorCode.Unavailable, 'code search is not available yet')
}

export const searchRouter = router({
  query: authedProcedure.input(searchQueryInput).query((): SearchResults => notYet()),
  status: authedProcedure.input(searchStatusInput).query((): SearchStatus => notYet()),
})
