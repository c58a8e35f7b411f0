import { describe, expect, it } from 'vitest'
import { PREFIX_BUDGET_CHARS, SUFFIX_BUDGET_CHARS, buildFim, fimModeFor } from './fim'

describe('fill-in-the-middle prompts', () => {
  it('uses raw Qwen FIM tokens for qwen coder models and Ollama suffix mode otherwise', () => {
    expect(fimModeFor('qwen2.5-coder:1.5b-base', 'auto')).toBe('raw')
    expect(fimModeFor('codellama:7b-code', 'auto')).toBe('suffix')
    expect(fimModeFor('qwen2.5-coder:1.5b-base', 'suffix')).toBe('suffix')
    const raw = buildFim({ prefix: 'const a = ', suffix: '\nconsole.log(a)', path: 'src/a.ts' }, 'raw')
    expect(raw.prompt).toBe(
      '<|file_sep|>src/a.ts\n<|fim_prefix|>const a = <|fim_suffix|>\nconsole.log(a)<|fim_middle|>',
    )
    expect(raw.raw).toBe(true)
    expect(raw.stop).toContain('<|endoftext|>')
    expect(buildFim({ prefix: 'x', suffix: 'y' }, 'suffix')).toEqual({
      prompt: 'x',
      suffix: 'y',
      raw: false,
      stop: [],
    })
  })

  it('keeps the end of a long prefix, cut at a line start', () => {
    const prefix = `${'a'.repeat(PREFIX_BUDGET_CHARS)}\nlast line `
    const { prompt } = buildFim({ prefix, suffix: '' }, 'suffix')
    expect(prompt.length).toBeLessThanOrEqual(PREFIX_BUDGET_CHARS)
    expect(prompt.endsWith('last line ')).toBe(true)
  })

  it('keeps the start of a long suffix, cut at a line end: the text nearest the cursor survives', () => {
    const suffix = `next line\n${'b'.repeat(SUFFIX_BUDGET_CHARS)}`
    const { suffix: kept } = buildFim({ prefix: '', suffix }, 'suffix')
    expect(kept).toBe('next line')
  })

  it('puts repository context ahead of the current file in raw mode', () => {
    const ctx = '<|repo_name|>p\n<|file_sep|>b.ts\nexport const b = 1\n'
    const { prompt } = buildFim({ prefix: 'a', suffix: '', path: 'a.ts' }, 'raw', ctx)
    expect(prompt).toBe(`${ctx}<|file_sep|>a.ts\n<|fim_prefix|>a<|fim_suffix|><|fim_middle|>`)
  })
})
