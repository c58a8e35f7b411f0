import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The documentation names files of the repository in two ways: Markdown links (`[text](path#anchor)`, relative to
 * the document) and code spans that start at the repository's root (`apps/collab/src/server.ts`). Both must
 * name something that exists, and a link's anchor a heading of the linked document, so a renamed or moved file
 * cannot leave the docs pointing at nothing.
 */
const root = resolve(import.meta.dirname, '..')
const skipped = new Set(['node_modules', '.git', 'dist', '.mimiverse', '.turbo'])
/** Top-level folders whose paths the docs quote in code spans. */
const rooted = /^(apps|packages|db|scripts|docs|deploy|triton-models)\/[\w.\-/]*$/
/** Build output, named in the docs but made by `npm run build`. */
const built = /(^|\/)dist(\/|$)/

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return []
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

function anchors(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
  return new Set(headings.map((line) => slug(line.replace(/^#+ /, ''))))
}

/** Text outside fenced code blocks, where links and code spans mean what they say. */
function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '')
}

/** Every path a document names that does not resolve, as `target` (with the reason). */
function brokenPaths(file: string): string[] {
  const text = prose(readFileSync(file, 'utf8'))
  const broken: string[] = []
  for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (!target || /^[a-z]+:/i.test(target)) continue
    const [path = '', anchor] = target.split('#')
    const resolved = path === '' ? file : resolve(dirname(file), path)
    if (!existsSync(resolved)) broken.push(`${target} (no such file)`)
    else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
      broken.push(`${target} (no such heading)`)
  }
  for (const [, span] of text.matchAll(/`([^`\n]+)`/g)) {
    if (span && rooted.test(span) && !built.test(span) && !existsSync(join(root, span)))
      broken.push(`${span} (no such file)`)
  }
  return broken
}

describe('paths named in the documentation', () => {
  const files = markdownFiles(root)

  it('finds the documents', () => {
    expect(files.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(['README.md', 'apps/collab/README.md', 'docs/ARCHITECTURE.md']),
    )
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s names only paths that exist', (_name, file) => {
    expect(statSync(file).isFile()).toBe(true)
    expect(brokenPaths(file)).toEqual([])
  })
})
