export { createLogger, LogLevel } from './logger'
export type { Logger } from './logger'
export { clipForLog, LOG_TEXT_MAX, rateLimitedLogger } from './log-limiter'
export { sendJson } from './respond'
export {
  SESSION_COOKIE,
  readCookie,
  sessionTokenOf,
  sessionCookie,
  isHttps,
  crossSiteCookieWrite,
  clientAddress,
} from './cookies'
export { createMemoryRateLimiter, createRedisRateLimiter } from './rate-limit'
export type {
  RateLimiter,
  RateLimitOptions,
  MemoryRateLimitOptions,
  RedisRateLimitOptions,
} from './rate-limit'
export { redisReady } from './redis-ready'
export { readableMessage, toTRPCError, formatError, handleProcedureError } from './trpc-errors'
export type { ClientErrorShape } from './trpc-errors'
export { closeOnSignals } from './shutdown'
export type { SignalTarget } from './shutdown'
export { requestIdOf } from './request-id'
export { createApiHandler, DEFAULT_BODY_LIMIT_BYTES, MAX_BATCH_CALLS } from './api-handler'
export type { ApiHandlerOptions, ApiMeta } from './api-handler'
export { bodyBudgetBytesSchema, createBodyBudget, DEFAULT_BODY_BUDGET_BYTES, readBody } from './request-body'
export type { BodyBudget, BodyResult, ReadBodyOptions } from './request-body'
export { createResponseBudget, MAX_RESPONSE_BYTES } from './response-budget'
export type { ResponseBudget } from './response-budget'
export { createCollabTokenIssuer, WORKSPACE_SUBJECT } from './collab-token'
export type { AgentClaim, CollabClaims, CollabTokenIssuer } from './collab-token'
export { ACCESS_CHANNEL, accessChangeSchema, createAccessChanges } from './access-changes'
export type { AccessChange, AccessChanges, AccessChangesOptions } from './access-changes'
export { parseEnvironment } from './env'
export { ClientWebSocket } from './client-websocket'
export { decodeText, looksBinary, readTextFile, MAX_FILE_BYTES } from './text-file'
export type { TextFile } from './text-file'
export { ignoreLevel, isIgnored, readIgnoreLevel } from './git-ignore'
export type { IgnoreLevel } from './git-ignore'
