import { createHash } from 'node:crypto'

/**
 * A built-in embedder that needs no model, so search keeps working offline. It is lexical, not semantic: it
 * hashes features of the text into a fixed number of buckets (the "hashing trick") and L2-normalizes the
 * result. Features: identifier tokens (camelCase and snake_case split, lowercased) and character trigrams of
 * each token. Texts sharing words and word pieces get close vectors; synonyms do not. Its vectors are tagged
 * with their own model name and are never compared with a neural model's.
 */
export const LOCAL_EMBED_MODEL = 'local/hashed-ngrams-v1'

/** Splits code into lowercase identifier parts: `parseDocName_v2` -> parse, doc, name, v2. */
export function identifierTokens(text: string): string[] {
  const words = text.match(/[A-Za-z0-9]+/g) ?? []
  const out: string[] = []
  for (const w of words) {
    for (const part of w.split(/(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)) {
      if (part) out.push(part.toLowerCase())
    }
  }
  return out
}

function bucket(feature: string, dims: number): { index: number; sign: number } {
  const h = createHash('sha1').update(feature).digest()
  return { index: h.readUInt32LE(0) % dims, sign: (h[4] ?? 0) & 1 ? 1 : -1 }
}

export function localEmbed(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0)
  const add = (feature: string, weight: number) => {
    const { index, sign } = bucket(feature, dims)
    v[index] = (v[index] ?? 0) + sign * weight
  }
  for (const token of identifierTokens(text)) {
    add(`w:${token}`, 1)
    const padded = `^${token}$`
    for (let i = 0; i + 3 <= padded.length; i += 1) add(`g:${padded.slice(i, i + 3)}`, 0.5)
  }
  const norm = Math.hypot(...v)
  return norm === 0 ? v : v.map((x) => x / norm)
}
