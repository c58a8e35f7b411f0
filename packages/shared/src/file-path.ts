import { z } from 'zod'
import { codePointLabel, loneSurrogate, utf8Length } from './unicode'

/** Longest accepted file path, in UTF-8 bytes; longer is refused, never truncated. */
export const MAX_PATH_BYTES = 1024
/** Longest single path segment, in UTF-8 bytes: common file systems' NAME_MAX, so exports never fail. */
export const MAX_SEGMENT_BYTES = 255

/**
 * Characters a path may not contain, most specific first. Each is invisible or changes how the text around
 * it is displayed, so a path holding one can look like another path (`a\u202Egpj.ts` shows as `ast.jpg`) or
 * break a line in a listing. Zero-width joiners are refused too, although some emoji and scripts use them:
 * a file name that looks the same with and without one is a spoofing tool.
 */
const REFUSED_CHARACTERS: readonly { pattern: RegExp; what: string }[] = [
  {
    pattern: /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u,
    what: 'an invisible direction-changing (bidi) control character',
  },
  { pattern: /[\u200B-\u200D\u2060\uFEFF]/u, what: 'an invisible zero-width character' },
  { pattern: /[\u0085\u2028\u2029]/u, what: 'a line or paragraph separator' },
  { pattern: /\p{Cc}/u, what: 'a control character' },
  { pattern: /\p{Cf}/u, what: 'an invisible formatting character' },
]

/** Cheap first bound on the raw text, before it is normalized: NFD spells a character with at most 3 units. */
const MAX_RAW_PATH_UNITS = 3 * MAX_PATH_BYTES

/** The form a path is stored in: Unicode NFC, so `ü` typed on macOS (NFD) and elsewhere is one file. */
export const normalizeFilePath = (path: string): string => path.normalize('NFC')

/**
 * Why a project-relative file path is not acceptable, or `null` when it is. Paths are POSIX-style, relative,
 * free of invisible characters and stored NFC-normalized (see `normalizeFilePath`): what a user sees is exactly
 * what is stored, so two spellings can't name one file. The checks apply to the normalized form.
 */
export function filePathProblem(rawPath: string): string | null {
  const lone = loneSurrogate(rawPath)
  if (lone !== null) return `path is not well-formed Unicode (lone surrogate ${codePointLabel(lone)})`
  if (rawPath.length > MAX_RAW_PATH_UNITS) return `path is longer than ${MAX_PATH_BYTES} bytes`
  const path = normalizeFilePath(rawPath)
  if (path.length === 0) return 'path is empty'
  for (const { pattern, what } of REFUSED_CHARACTERS) {
    const found = pattern.exec(path)
    if (found) return `path contains ${codePointLabel(found[0].codePointAt(0)!)}, ${what}`
  }
  if (utf8Length(path) > MAX_PATH_BYTES) return `path is longer than ${MAX_PATH_BYTES} bytes (UTF-8)`
  if (path.includes('\\')) return 'path must use "/" as separator, not "\\"'
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return 'path must be relative to the project root'
  if (path.endsWith('/')) return 'path must name a file, not end with "/"'
  for (const segment of path.split('/')) {
    if (segment === '') return 'path contains an empty segment ("//")'
    if (segment === '.' || segment === '..') return 'path must be normalized (no "." or ".." segments)'
    if (utf8Length(segment) > MAX_SEGMENT_BYTES)
      return `a path segment is longer than ${MAX_SEGMENT_BYTES} bytes (UTF-8)`
    if (segment !== segment.trim()) return 'a path segment starts or ends with white space'
  }
  return null
}

/**
 * The key under which case-insensitive file systems (macOS, Windows) and tools would merge two paths: NFC, then
 * each code point lowercased on its own (Unicode simple case mapping, as the server's PostgreSQL `lower()` under
 * the `pg_c_utf8` collation where it has one). Used to spot such twins before they are sent; the server has the last word.
 */
export const filePathCaseKey = (path: string): string =>
  Array.from(normalizeFilePath(path), (char) => Array.from(char.toLowerCase())[0]!).join('')

/** A file path as the API accepts it; the parsed value is the normalized (NFC) path. */
export const filePathSchema = z
  .string()
  .superRefine((path, ctx) => {
    const problem = filePathProblem(path)
    if (problem) ctx.addIssue({ code: 'custom', message: `Invalid file path: ${problem}` })
  })
  .transform(normalizeFilePath)
