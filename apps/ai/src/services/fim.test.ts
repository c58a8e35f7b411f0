import { describe, expect, it } from 'vitest'
import { PREFIX_BUDGET_CHARS, buildFim, cleanCompletion, fimModeFor } from './fim'

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

  it('removes leaked special tokens and a repeated closing line', () => {
    expect(cleanCompletion('1 + 2<|endoftext|>junk', '')).toBe('1 + 2')
    expect(cleanCompletion('const r = 1\n  return r', '\n  return r\n}')).toBe('const r = 1')
    // A lone bracket may close an inner block the model opened: too ambiguous to drop.
    expect(cleanCompletion('if (x) {\n}', '\n}')).toBe('if (x) {\n}')
  })
})
