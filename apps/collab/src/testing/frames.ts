import * as encoding from 'lib0/encoding'
import { MessageType, SyncType } from '../protocol/frame'

/** One awareness entry as a provider writes it: client id, clock, and the state's JSON text ("null": removal). */
export type RawAwarenessEntry = [clientId: number, clock: number, json: string]

/** An awareness update (y-protocols' encoding) of raw entries, which may be anything a client could send. */
export function awarenessUpdate(entries: RawAwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [clientId, clock, json] of entries) {
    encoding.writeVarUint(e, clientId)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, json)
  }
  return encoding.toUint8Array(e)
}

/** A whole awareness frame for `docName`, as a provider sends it over the socket. */
export function awarenessFrame(docName: string, entries: RawAwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, docName)
  encoding.writeVarUint(e, MessageType.Awareness)
  encoding.writeVarUint8Array(e, awarenessUpdate(entries))
  return encoding.toUint8Array(e)
}

/** A Sync Update frame for `docName` carrying `update`, as a provider sends one. */
export function syncUpdateFrame(docName: string, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarString(e, docName)
  encoding.writeVarUint(e, MessageType.Sync)
  encoding.writeVarUint(e, SyncType.Update)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}
