import { readFile } from 'node:fs/promises'
import { MAX_FILE_CHARS } from '@mimiverse/shared'

/** How many leading bytes are searched for a NUL, as git does to call a file binary. */
const SNIFF_BYTES = 8000
/** A UTF-8 character takes at most 4 bytes, so a larger file cannot fit in MAX_FILE_CHARS characters. */
export const MAX_FILE_BYTES = MAX_FILE_CHARS * 4

export type TextFile = { kind: 'text'; text: string } | { kind: 'skip'; reason: string }

/** Whether bytes look binary: a NUL in the first 8000 bytes (git's heuristic). */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, SNIFF_BYTES).includes(0)
}

/**
 * Decodes file bytes as UTF-8 text, or says why the file is left out: binary, not UTF-8, or longer than the
 * server accepts (MAX_FILE_CHARS). A byte-order mark is kept so an export gives back the same bytes.
 */
export function decodeText(bytes: Uint8Array): TextFile {
  if (looksBinary(bytes)) return { kind: 'skip', reason: 'binary file' }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return { kind: 'skip', reason: 'not UTF-8 text' }
  }
  if (text.length > MAX_FILE_CHARS) {
    return { kind: 'skip', reason: `larger than ${MAX_FILE_CHARS} characters` }
  }
  return { kind: 'text', text }
}

/** Reads a local file as text; files too large to possibly fit are refused before being read. */
export async function readTextFile(absPath: string, size: number): Promise<TextFile> {
  if (size > MAX_FILE_BYTES) return { kind: 'skip', reason: `larger than ${MAX_FILE_CHARS} characters` }
  return decodeText(await readFile(absPath))
}
