import { customType } from 'drizzle-orm/pg-core'

/** Binary column for Yjs updates and snapshots; both drivers hand back a Uint8Array (pg: Buffer). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => (v instanceof Uint8Array ? v : new Uint8Array(v)),
})
