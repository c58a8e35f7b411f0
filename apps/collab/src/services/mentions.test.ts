import { describe, expect, it } from 'vitest'
import { mentionedIn } from './mentions'

const members = [
  { id: 'b', name: 'Bob' },
  { id: 'bo', name: 'Bo' },
  { id: 'a', name: 'Ada Lovelace' },
  { id: 'x', name: 'x.y (z)' },
]

describe('mentionedIn', () => {
  it('finds members by their whole display name, in any case, spaces included', () => {
    expect(mentionedIn('@bob and @Ada Lovelace, look', members)).toEqual(['b', 'a'])
    expect(mentionedIn('ping @x.y (z)!', members)).toEqual(['x'])
  })
  it('needs the whole name and a mark outside a word', () => {
    expect(mentionedIn('@Bobby', members)).toEqual([])
    expect(mentionedIn('mail bob@Bo', members)).toEqual([])
    expect(mentionedIn('@Bo.', members)).toEqual(['bo'])
  })
})
