/**
 * WebSocket close codes the collab server uses when it refuses or ends a connection. 4xxx codes are in the
 * range reserved for applications (RFC 6455 §7.4.2); the provider reports them in its `onClose` event.
 */
export const CloseCode = {
  /** The frame exceeded `COLLAB_MAX_MESSAGE_BYTES` (the standard "message too big"). */
  MessageTooBig: 1009,
  /** The frame could not be decoded as a Hocuspocus/Yjs message. */
  MalformedMessage: 4400,
  /** No token, a forged token or an expired one: fetch a new token with `collab.token` and reconnect. */
  Unauthorized: 4401,
  /** A valid token, but the document is not in the token's project or the user is no longer a member. */
  Forbidden: 4403,
  /** The document name does not name an existing file. */
  DocumentNotFound: 4404,
  /** The database did not accept the update; it was not applied. The provider reconnects and resends it. */
  StorageUnavailable: 4503,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
