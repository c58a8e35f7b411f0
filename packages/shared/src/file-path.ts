import { z } from 'zod'

/** Longest accepted file path, in characters (not bytes); longer is refused, never truncated. */
export const MAX_PATH_LENGTH = 512
/** Longest single path segment; matches common file systems' NAME_MAX so exports never fail. */
export const MAX_SEGMENT_LENGTH = 255

/**
 * Why a project-relative file path is not acceptable, or `null` when it is. Paths are POSIX-style, relative,
 * and already normalized: what a user sees is exactly what is stored, so two spellings can't name one file.
 */
export function filePathProblem(path: string): string | null {
  if (path.length === 0) return 'path is empty'
  if (path.length > MAX_PATH_LENGTH) return `path is longer than ${MAX_PATH_LENGTH} characters`
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'path contains a control character (such as NUL)'
  if (path.includes('\\')) return 'path must use "/" as separator, not "\\"'
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path)) return 'path must be relative to the project root'
  if (path.endsWith('/')) return 'path must name a file, not end with "/"'
  for (const segment of path.split('/')) {
    if (segment === '') return 'path contains an empty segment ("//")'
    if (segment === '.' || segment === '..') return 'path must be normalized (no "." or ".." segments)'
    if (segment.length > MAX_SEGMENT_LENGTH)
      return `a path segment is longer than ${MAX_SEGMENT_LENGTH} characters`
    if (segment !== segment.trim()) return 'a path segment starts or ends with white space'
  }
  if (path.normalize('NFC') !== path) return 'path must be Unicode NFC-normalized'
  return null
}

export const filePathSchema = z.string().superRefine((path, ctx) => {
  const problem = filePathProblem(path)
  if (problem) ctx.addIssue({ code: 'custom', message: `Invalid file path: ${problem}` })
})
