/**
 * A built-in embedder that needs no model, so search keeps working offline. It is lexical, not semantic: it
 * hashes features of the text into a fixed number of buckets (the "hashing trick") and L2-normalizes the
 * result. Features: identifier tokens (camelCase and snake_case split, lowercased) and character trigrams of
 * each token. Texts sharing words and word pieces get close vectors; synonyms do not. Its vectors are tagged
 * with their own model name and are never compared with a neural model's.
 *
 * v2 hashes features with FNV-1a and memoizes buckets (v1 used SHA-1: about 100x slower, which made the code
 * search indexer embedding-bound), skips stop words and weighs repeated words sublinearly (code search
 * relevance); the vectors differ, hence the new name.
 */
export const LOCAL_EMBED_MODEL = 'local/hashed-ngrams-v2'

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

/** 32-bit FNV-1a of a string's UTF-16 code units, finished with a murmur3 mix so low bits are uniform. */
function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Features repeat a lot in code; the memo is dropped whole when it grows past this many entries. */
const MEMO_LIMIT = 200_000
const memo = new Map<string, number>()

/** Bucket index times sign (+1/-1), packed as one number: (index + 1) * sign. */
function bucket(feature: string, dims: number): number {
  const key = `${dims}|${feature}`
  let packed = memo.get(key)
  if (packed === undefined) {
    const h = hash32(feature)
    packed = ((h % dims) + 1) * (h & 0x80000000 ? 1 : -1)
    if (memo.size >= MEMO_LIMIT) memo.clear()
    memo.set(key, packed)
  }
  return packed
}

/**
 * Words that say nothing about what code does: English function words and the keywords of common languages.
 * They carry no feature (a model would learn to ignore them; a hash cannot).
 */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by for from has have if in is it its of on or that the this to was were will with ' +
    'not no can may into than then there these those which when where while each all any only also ' +
    'function return const let var new class extends import export default async await void null undefined ' +
    'true false else case break continue switch try catch finally throw typeof instanceof def self fn pub ' +
    'static public private protected final int string number boolean'
  ).split(' '),
)

/**
 * Each distinct word weighs 1 + ln(count) (sublinear: a word repeated ten times is not ten times as telling),
 * and so do its character trigrams, at half weight.
 */
export function localEmbed(text: string, dims: number): number[] {
  const v = new Array<number>(dims).fill(0)
  const add = (feature: string, weight: number) => {
    const packed = bucket(feature, dims)
    const index = Math.abs(packed) - 1
    v[index] = (v[index] ?? 0) + Math.sign(packed) * weight
  }
  const counts = new Map<string, number>()
  for (const token of identifierTokens(text)) {
    if (!STOP_WORDS.has(token)) counts.set(token, (counts.get(token) ?? 0) + 1)
  }
  for (const [token, count] of counts) {
    const weight = 1 + Math.log(count)
    add(`w:${token}`, weight)
    const padded = `^${token}$`
    for (let i = 0; i + 3 <= padded.length; i += 1) add(`g:${padded.slice(i, i + 3)}`, 0.5 * weight)
  }
  let squares = 0
  for (const x of v) squares += x * x
  const norm = Math.sqrt(squares)
  return norm === 0 ? v : v.map((x) => x / norm)
}
