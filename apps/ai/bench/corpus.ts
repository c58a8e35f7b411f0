import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'

/**
 * The relevance corpus, CodeSearchNet style: every documented function of a real library's source. The query
 * is the first sentence of the doc comment; the document is the function without its doc comment.
 */
export interface CorpusFunction {
  /** Where it came from: `<file>:<line>`. */
  origin: string
  name: string
  query: string
  code: string
}

const FUNCTION_START = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/,
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>|\()/,
  /^\s*[\w$.]+\.([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?function\b/,
  /^\s*(?:static\s+)?(?:async\s+)?(?:get\s+|set\s+)?\*?([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*\{\s*$/,
]
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'constructor'])

/** First sentence of a doc comment's prose, or `null` when it has none worth asking for. */
function summaryOf(comment: string): string | null {
  const prose: string[] = []
  for (const raw of comment.split('\n')) {
    const line = raw.replace(/^\s*\/?\*+\/?\s?/, '').trim()
    if (line.startsWith('@')) break
    if (line) prose.push(line)
  }
  const text = prose
    .join(' ')
    .replace(/\{@link\s+([^}|\s]+)[^}]*\}/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/`/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  // A sentence ends before a capital letter or at the end ("e.g. a" does not end one).
  const first = (/^(.+?[.!?])(?=\s+[A-Z]|$)/.exec(text)?.[1] ?? text).trim()
  return first.split(' ').length >= 3 ? first : null
}

/** Lines of the function starting at `start`: up to its matching closing brace. */
function bodyOf(lines: string[], start: number): string | null {
  let depth = 0
  let opened = false
  for (let i = start; i < lines.length && i < start + 400; i += 1) {
    const line = lines[i]!.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '')
    if (!opened && i > start && (line.trim() === '' || line.includes(';'))) return null
    for (const c of line) {
      if (c === '{') {
        depth += 1
        opened = true
      } else if (c === '}') depth -= 1
    }
    if (opened && depth <= 0) return lines.slice(start, i + 1).join('\n')
  }
  return null
}

export function functionsOf(source: string, file: string): CorpusFunction[] {
  const out: CorpusFunction[] = []
  const lines = source.split('\n')
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^\s*\/\*\*/.test(lines[i]!)) continue
    let end = i
    while (end < lines.length && !lines[end]!.includes('*/')) end += 1
    const comment = lines.slice(i, end + 1).join('\n')
    let start = end + 1
    while (start < lines.length && lines[start]!.trim() === '') start += 1
    const head = lines[start] ?? ''
    const name = FUNCTION_START.map((re) => re.exec(head)?.[1]).find((n) => n && !KEYWORDS.has(n))
    const query = summaryOf(comment)
    const code = name && query ? bodyOf(lines, start) : null
    if (name && query && code && code.split('\n').length >= 2) {
      out.push({ origin: `${file}:${start + 1}`, name, query, code })
    }
    i = end
  }
  return out
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)))
    else if (/\.(m?js)$/.test(entry.name) && !/\.(test|min)\./.test(entry.name)) out.push(path)
  }
  return out.sort()
}

/** Every documented function under `root`; functions sharing a summary are dropped (no single answer). */
export async function loadCorpus(root: string): Promise<CorpusFunction[]> {
  const all: CorpusFunction[] = []
  for (const file of await sourceFiles(root)) {
    all.push(...functionsOf(await readFile(file, 'utf8'), relative(root, file)))
  }
  const count = new Map<string, number>()
  for (const f of all) count.set(f.query.toLowerCase(), (count.get(f.query.toLowerCase()) ?? 0) + 1)
  return all.filter((f) => count.get(f.query.toLowerCase()) === 1)
}
