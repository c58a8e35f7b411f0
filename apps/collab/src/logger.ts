/**
 * The structured logger lives in @mimiverse/server-kit, shared with the AI service; import it from there.
 * This re-export stays only for apps/collab/bench/store-probe.ts, which imports `../src/logger` and is owned
 * by the benchmark work; delete it once that import points at @mimiverse/server-kit.
 */
export { createLogger, LogLevel } from '@mimiverse/server-kit'
export type { Logger } from '@mimiverse/server-kit'
