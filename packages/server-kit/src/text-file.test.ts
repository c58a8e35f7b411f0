import { describe, expect, it } from 'vitest'
import { MAX_FILE_CHARS } from '@mimiverse/shared'
import { decodeText } from './text-file'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('decodeText', () => {
  it('keeps text exactly, byte-order mark and line endings included', () => {
    expect(decodeText(bytes('\uFEFFa\r\nb'))).toEqual({ kind: 'text', text: '\uFEFFa\r\nb' })
    expect(decodeText(new Uint8Array())).toEqual({ kind: 'text', text: '' })
  })

  it('leaves out binaries, other encodings and files over the limit, saying why', () => {
    expect(decodeText(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]))).toEqual({
      kind: 'skip',
      reason: 'binary file',
    })
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toEqual({
      kind: 'skip',
      reason: 'not UTF-8 text',
    })
    expect(decodeText(bytes('é'.repeat(MAX_FILE_CHARS)))).toMatchObject({ kind: 'text' })
    expect(decodeText(bytes('x'.repeat(MAX_FILE_CHARS + 1)))).toEqual({
      kind: 'skip',
      reason: `larger than ${MAX_FILE_CHARS} characters`,
    })
  })
})
