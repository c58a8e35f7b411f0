/**
 * The transaction origin with which Hocuspocus' Redis extension (3.4.4) applies updates that came from another
 * collab node (`Redis.redisTransactionOrigin`, an instance field with no export). Those updates were logged and
 * attributed by the node that received them, so this one must not log or attribute them again.
 */
export const REDIS_ORIGIN = '__hocuspocus__redis__origin__'
