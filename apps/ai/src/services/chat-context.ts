import type { Message } from 'ollama'
import { parseMentions } from './mentions'
import type { Workspace } from './workspace'

/**
 * Builds what the chat model is told besides the conversation: the file the user is in, their selection, the
 * files they mention with `@file:<path>` (current text from the shared document), and, through the
 * `CodebaseSearch` seam, search results for `@codebase`.
 */

/** Filled in by the code search issue; until then `@codebase` says that search is not available. */
export interface CodebaseSearch {
  search(projectId: string, query: string, limit: number): Promise<{ path: string; text: string }[]>
}

export interface ChatContextInput {
  projectId: string
  messages: Message[]
  docName?: string
  selection?: { text: string; startLine?: number; endLine?: number }
}

export interface ChatContext {
  /** System messages to put before the conversation. */
  system: Message[]
  /** Paths whose text was included. */
  files: string[]
  /** Mentioned paths that do not exist in the project. */
  missing: string[]
  codebase: 'not-requested' | 'included' | 'unavailable'
}

/** Most characters of one file's text put into the prompt, and most mentioned files. */
export const FILE_CONTEXT_CHARS = 12_000
export const MAX_MENTIONED_FILES = 5
const CODEBASE_RESULTS = 8

const SYSTEM_PROMPT =
  'You are the coding assistant of Mimiverse, a collaborative code editor. Answer concisely; put code in ' +
  'fenced blocks with the language. When files are provided below, rely on their text.'

export async function buildChatContext(
  workspace: Workspace,
  input: ChatContextInput,
  codebase: CodebaseSearch | null,
): Promise<ChatContext> {
  const blocks: string[] = []
  const files: string[] = []
  const missing: string[] = []
  if (input.docName) {
    const path = (await workspace.pathOf(input.docName)) ?? 'untitled'
    const text = await workspace.readText(input.docName)
    blocks.push(fileBlock(`${path} (open in the editor)`, text))
    files.push(path)
  }
  if (input.selection?.text) {
    const where = input.selection.startLine
      ? ` (lines ${input.selection.startLine}-${input.selection.endLine ?? '?'})`
      : ''
    blocks.push(`The user selected${where}:\n\`\`\`\n${input.selection.text}\n\`\`\``)
  }
  const last = [...input.messages].reverse().find((m) => m.role === 'user')?.content ?? ''
  const mentions = parseMentions(last)
  for (const path of mentions.files.slice(0, MAX_MENTIONED_FILES)) {
    if (files.includes(path)) continue
    const file = await workspace.readFile(input.projectId, path)
    if (!file) {
      missing.push(path)
      continue
    }
    blocks.push(fileBlock(file.path, file.text))
    files.push(file.path)
  }
  let status: ChatContext['codebase'] = 'not-requested'
  if (mentions.codebase) {
    status = codebase ? 'included' : 'unavailable'
    if (codebase) {
      for (const hit of await codebase.search(input.projectId, last, CODEBASE_RESULTS)) {
        blocks.push(fileBlock(`${hit.path} (search result)`, hit.text))
      }
    } else
      blocks.push('The user asked about the whole codebase, but code search is not available here; say so.')
  }
  if (missing.length) blocks.push(`These mentioned files do not exist in the project: ${missing.join(', ')}.`)
  const system: Message[] = [{ role: 'system', content: SYSTEM_PROMPT }]
  if (blocks.length) system.push({ role: 'system', content: blocks.join('\n\n') })
  return { system, files, missing, codebase: status }
}

function fileBlock(label: string, text: string): string {
  const clipped =
    text.length > FILE_CONTEXT_CHARS ? `${text.slice(0, FILE_CONTEXT_CHARS)}\n… (truncated)` : text
  return `File ${label}:\n\`\`\`\n${clipped}\n\`\`\``
}
