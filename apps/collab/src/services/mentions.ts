/** A project member a comment can mention. */
export interface Mentionable {
  id: string
  name: string
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The members a comment body mentions: `@` followed by a member's display name (any case; names may hold
 * spaces, so the names are matched, not a parsed word), not inside a word and not followed by a letter or
 * digit (`@Bob` does not mention "Bo"). Matching against the members' names means nobody outside the project
 * can be mentioned, and a name is never guessed.
 */
export function mentionedIn(body: string, members: Mentionable[]): string[] {
  return members
    .filter((m) => {
      const pattern = new RegExp(`(^|[^\\p{L}\\p{N}_@])@${escape(m.name)}(?![\\p{L}\\p{N}_])`, 'iu')
      return m.name.length > 0 && pattern.test(body)
    })
    .map((m) => m.id)
}
