/**
 * Small Unicode helpers for validation. Plain string code: `packages/shared` runs in the browser and in Node
 * without DOM or `node:*` types, so no TextEncoder.
 */

/** `U+202E`: how a code point is named in messages (it may be invisible, so it is never shown itself). */
export const codePointLabel = (codePoint: number): string =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * The first unpaired surrogate half of `s`, or `null` when `s` is well-formed. Such a string has no UTF-8
 * form: encoders (the database driver, `TextEncoder`) silently turn the half into U+FFFD, so two different
 * strings would be stored as one. Check before anything encodes the string.
 */
export function loneSurrogate(s: string): number | null {
  // With the `u` flag a well-formed pair is one code point, so only unpaired halves match.
  const match = /[\uD800-\uDFFF]/u.exec(s)
  return match ? match[0].charCodeAt(0) : null
}

/** Length in code points: what a person counts as characters (an emoji outside the BMP counts once). */
export const codePointLength = (s: string): number => Array.from(s).length

/** Length of the UTF-8 form of a well-formed string, in bytes (what file systems and archives limit). */
export function utf8Length(s: string): number {
  let bytes = 0
  for (const char of s) {
    const cp = char.codePointAt(0)!
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
  }
  return bytes
}
