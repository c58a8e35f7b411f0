export { newTestServer } from './server'
export type { TestServer } from './server'
export { apiClient, connectPeer, errorCodeOf, signUp } from './clients'
export type { ApiClient, Peer, TestUser } from './clients'
