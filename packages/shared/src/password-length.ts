/** Fewest characters (code points) a new password may have. */
export const MIN_PASSWORD_LENGTH = 10
/** Most characters (code points) a new password may have; bounds hashing and the strength estimate. */
export const MAX_PASSWORD_LENGTH = 256
