/**
 * Fill-in-the-middle prompts for inline completion.
 *
 * Two ways to ask Ollama: `suffix` (Ollama fills its template; needs the model's `insert` capability), or
 * `raw` with the model's own FIM tokens. For Qwen2.5-Coder (the default `-base` model) we build the raw string
 * ourselves, `<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>`, with the file path as a
 * `<|file_sep|>` header, and stop on every special token so none leaks into the editor.
 */
export type FimMode = 'suffix' | 'raw'

/** Input budget in characters (Tabby: 1,536 input characters; Continue: 30% prefix / 20% suffix). */
export const PREFIX_BUDGET_CHARS = 1536
export const SUFFIX_BUDGET_CHARS = 512
/** Output budget in tokens (Tabby: 64). */
export const MAX_OUTPUT_TOKENS = 64

export const QWEN_STOP_TOKENS = [
  '<|endoftext|>',
  '<|fim_prefix|>',
  '<|fim_middle|>',
  '<|fim_suffix|>',
  '<|fim_pad|>',
  '<|repo_name|>',
  '<|file_sep|>',
  '<|im_start|>',
  '<|im_end|>',
] as const

/** `auto` picks raw Qwen tokens for qwen*-coder models, whose FIM format we know. */
export function fimModeFor(model: string, configured: 'auto' | FimMode): FimMode {
  if (configured !== 'auto') return configured
  return /qwen[\d.]*-coder/i.test(model) ? 'raw' : 'suffix'
}

export interface FimInput {
  prefix: string
  suffix: string
  path?: string
}

export interface FimRequest {
  prompt: string
  suffix?: string
  raw: boolean
  stop: string[]
}

/** Cuts the prefix at a line start and the suffix at a line end where the budget allows. */
export function clip(input: FimInput): { prefix: string; suffix: string } {
  let prefix = input.prefix.slice(-PREFIX_BUDGET_CHARS)
  if (prefix.length < input.prefix.length) {
    const nl = prefix.indexOf('\n')
    if (nl >= 0 && nl < prefix.length - 1) prefix = prefix.slice(nl + 1)
  }
  let suffix = input.suffix.slice(0, SUFFIX_BUDGET_CHARS)
  if (suffix.length < input.suffix.length) {
    const nl = suffix.lastIndexOf('\n')
    if (nl > 0) suffix = suffix.slice(0, nl)
  }
  return { prefix, suffix }
}

/**
 * The request for a cursor position. `context` (raw mode only) is rendered repository context
 * (`<|repo_name|>…<|file_sep|>…` blocks, see completion-context.ts) that goes ahead of the current file.
 */
export function buildFim(input: FimInput, mode: FimMode, context = ''): FimRequest {
  const { prefix, suffix } = clip(input)
  if (mode === 'suffix') return { prompt: prefix, suffix, raw: false, stop: [] }
  const header = input.path ? `<|file_sep|>${input.path}\n` : ''
  return {
    prompt: `${context}${header}<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`,
    raw: true,
    stop: [...QWEN_STOP_TOKENS],
  }
}
