import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import { awarenessUpdate, type RawAwarenessEntry } from '../testing/frames'
import { AwarenessLimits, nestingExceeds, PresenceRefusal, readAwarenessEntries } from './awareness-check'

const update = (entries: RawAwarenessEntry[]) => decoding.createDecoder(awarenessUpdate(entries))

describe('nestingExceeds', () => {
  it('counts arrays and objects, not brackets inside strings or after escaped quotes', () => {
    expect(nestingExceeds('{"a":[1,{"b":2}]}', 3)).toBe(false)
    expect(nestingExceeds('{"a":[1,{"b":[2]}]}', 3)).toBe(true)
    expect(nestingExceeds(JSON.stringify({ s: '[[[[[[{{{{' }), 1)).toBe(false)
    expect(nestingExceeds(JSON.stringify({ s: 'say \\"[[[[[\\" and "[[[[" \\\\' }), 1)).toBe(false)
    expect(nestingExceeds(`{"s":"\\\\"}${'['.repeat(3)}`, 2)).toBe(true)
  })

  it('answers for a million levels without recursion', () => {
    expect(nestingExceeds('['.repeat(1_000_000) + ']'.repeat(1_000_000), 8)).toBe(true)
    expect(nestingExceeds('"' + '['.repeat(1_000_000) + '"', 8)).toBe(false)
  })
})

describe('readAwarenessEntries', () => {
  it('reads states and removals within the limits', () => {
    const state = { user: { id: 'u', name: 'Ann' }, selection: { anchor: { type: { client: 1, clock: 2 } } } }
    expect(
      readAwarenessEntries(
        update([
          [7, 3, JSON.stringify(state)],
          [8, 4, 'null'],
        ]),
      ),
    ).toEqual([
      { clientId: 7, clock: 3, state },
      { clientId: 8, clock: 4, state: null },
    ])
  })

  it.each([
    ['a state nested too deep', [[1, 1, '['.repeat(9) + ']'.repeat(9)]], /nested deeper than 8/],
    [
      'a state over the size limit',
      [[1, 1, JSON.stringify({ s: 'x'.repeat(AwarenessLimits.maxStateBytes) })]],
      /larger/,
    ],
    [
      'too many states',
      Array.from({ length: AwarenessLimits.maxEntries + 1 }, (_, i) => [i, 1, '{}']),
      /more than 64/,
    ],
  ] as [string, RawAwarenessEntry[], RegExp][])('refuses %s with 4422', (_, entries, message) => {
    const refuse = () => readAwarenessEntries(update(entries))
    expect(refuse).toThrow(PresenceRefusal)
    expect(refuse).toThrow(message)
  })

  it('counts the limit in UTF-8 bytes, and leaves text that is not JSON to JSON.parse', () => {
    const multiByte = JSON.stringify({ s: '一'.repeat(3000) })
    expect(multiByte.length).toBeLessThan(AwarenessLimits.maxStateBytes)
    expect(() => readAwarenessEntries(update([[1, 1, multiByte]]))).toThrow(PresenceRefusal)
    expect(() => readAwarenessEntries(update([[1, 1, '{"a":']]))).toThrow(SyntaxError)
  })
})
