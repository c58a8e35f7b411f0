/**
 * WebSocket close codes the collab server uses when it refuses or ends a connection. 4xxx codes are in the
 * range reserved for applications (RFC 6455 §7.4.2); the provider reports them in its `onClose` event.
 */
export const CloseCode = {
  /** The frame exceeded `COLLAB_MAX_MESSAGE_BYTES` (the standard "message too big"). */
  MessageTooBig: 1009,
  /** The frame could not be decoded as a Hocuspocus/Yjs message, or carries a Yjs update that cannot be applied. */
  MalformedMessage: 4400,
  /** No token, a forged token or an expired one: fetch a new token with `collab.token` and reconnect. */
  Unauthorized: 4401,
  /** A valid token, but the document is not in the token's project or the user is no longer a member. */
  Forbidden: 4403,
  /** The document name does not name an existing file. */
  DocumentNotFound: 4404,
  /** No Auth message was accepted within the authentication deadline after the socket opened. */
  AuthenticationTimeout: 4408,
  /**
   * The session's grant changed (a lowered role): fetch a new collab token and reconnect, which yields the new
   * role. A sign-out or a removed membership closes with 4401 / 4403 instead.
   */
  AccessChanged: 4409,
  /** An awareness (presence) state was refused: too large, too deep, unexpected fields, or not the sender's. */
  InvalidPresence: 4422,
  /** Too many sockets (per address, user or node), open documents, or presence messages: slow down. */
  TooMany: 4429,
  /** The database did not accept the update; it was not applied. The provider reconnects and resends it. */
  StorageUnavailable: 4503,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
