import { customType } from 'drizzle-orm/pg-core'

/**
 * Binary column for Yjs updates and snapshots. Both drivers hand back a plain Uint8Array: `pg` returns a
 * Node Buffer, a Uint8Array subclass that compares unequal to one, slices differently and often views Node's
 * shared 8 KiB pool (so its `.buffer` holds other data), so it is copied.
 */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => v,
  fromDriver: (v) => asUint8Array(v),
})

/** `v` if it is a plain Uint8Array, else a plain copy of its bytes (a Buffer from `pg`). */
export function asUint8Array(v: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(v) === Uint8Array.prototype ? v : new Uint8Array(v)
}
