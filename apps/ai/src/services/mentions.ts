/**
 * Mentions in a chat message: `@file:<path>` adds that file's current text to the prompt; `@codebase` adds
 * code search results (once search exists). A path runs to the next whitespace; a trailing `,.;:)!?` is
 * punctuation, not part of it.
 */
export interface Mentions {
  files: string[]
  codebase: boolean
}

export function parseMentions(text: string): Mentions {
  const files = new Set<string>()
  for (const m of text.matchAll(/(?:^|\s)@file:(\S+)/g)) {
    const path = m[1]?.replace(/[,.;:)!?]+$/, '')
    if (path) files.add(path)
  }
  return { files: [...files], codebase: /(?:^|\s)@codebase\b/.test(text) }
}
