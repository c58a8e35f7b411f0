import type { Message } from 'ollama'
import { NEW_MARKER, OLD_MARKER, SEPARATOR } from './edit-format'

/** Most characters of the file sent to the model; a selection is always sent whole. */
export const MAX_FILE_CHARS = 60_000

/** The chat messages asking the model for old/new edit blocks (see edit-format.ts). */
export function editPrompt(opts: {
  path: string
  text: string
  instruction: string
  selection: { text: string; startLine: number; endLine: number } | null
}): Message[] {
  const system = [
    `You are Mimi, an AI pair programmer editing the file \`${opts.path}\` together with the user.`,
    'Answer ONLY with edit blocks in exactly this format, nothing before or after them:',
    '',
    OLD_MARKER,
    'the exact lines of the file to replace',
    SEPARATOR,
    'the lines that replace them',
    NEW_MARKER,
    '',
    'Rules: copy the OLD lines exactly as they are in the file, indentation included, with enough lines to be',
    'unique; keep each block small (the lines that change plus a line of context); use several blocks for',
    'changes far apart, in file order, never overlapping; an empty new part deletes the lines.',
    opts.selection ? 'Change only the selected lines.' : '',
  ].join('\n')
  const file =
    opts.text.length > MAX_FILE_CHARS
      ? `${opts.text.slice(0, MAX_FILE_CHARS)}\n… (file truncated)`
      : opts.text
  const parts = [`File \`${opts.path}\`:\n\`\`\`\n${file}\n\`\`\``]
  if (opts.selection) {
    const { startLine, endLine, text } = opts.selection
    parts.push(`Selected lines ${startLine}-${endLine}:\n\`\`\`\n${text}\n\`\`\``)
  }
  parts.push(`Instruction: ${opts.instruction}`)
  return [
    { role: 'system', content: system },
    { role: 'user', content: parts.join('\n\n') },
  ]
}
