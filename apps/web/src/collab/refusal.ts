import { CloseCode } from '@mimiverse/shared'

/**
 * What a refused document connection means for the UI. The collab server (apps/collab extensions/auth.ts)
 * sends its refusal reason to the provider before closing the socket with a CloseCode; the reason is all the
 * provider hands us, so it is matched here, in one place.
 */
export const Refusal = {
  /** The file was deleted: close its tab. */
  FileGone: 'file-gone',
  /** The user is no longer a member: stop, say so. */
  NoAccess: 'no-access',
  /** The token expired or was rejected: drop it; the reconnect fetches a fresh one. */
  BadToken: 'bad-token',
  /** We could not fetch a token (server or network down): retry later. */
  TokenUnavailable: 'token-unavailable',
  Other: 'other',
} as const
export type Refusal = (typeof Refusal)[keyof typeof Refusal]

export function classifyRefusal(reason: string): Refusal {
  if (reason.startsWith('Failed to get token')) return Refusal.TokenUnavailable
  if (reason === 'no such file' || reason === 'not a document name') return Refusal.FileGone
  if (reason.includes('not a member') || reason.includes("token's project")) return Refusal.NoAccess
  if (reason.includes('collab token')) return Refusal.BadToken
  return Refusal.Other
}

/**
 * Whether a socket closed with `code` leaves the cached collab token stale: 4409 (our role changed; a fresh token
 * and the reconnect carry the new one) or 4401 (the token's session ended). The provider reconnects by itself;
 * its next token request then goes to the server.
 */
export function closeNeedsFreshToken(code: number): boolean {
  return code === CloseCode.AccessChanged || code === CloseCode.Unauthorized
}
