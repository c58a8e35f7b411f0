import type { Tool } from 'ollama'
import { z } from 'zod'
import { AppError, filePathSchema } from '@mimiverse/shared'
import { editFile, createFile, deleteFile, renameFile } from './file-tools'
import { listFiles, readFile, searchCode } from './read-tools'
import { showRunDiff } from './run-diff'
import { runCommand } from './command-tool'
import { ToolError, type ToolContext } from './tool-context'

/**
 * The agent's tools: each has a zod schema (the model's arguments are validated with it, and its JSON Schema is
 * what the model is shown) and returns text for the model. A tool's failure is text too (`Error: …`), so the
 * model can correct itself and the run goes on. Results are bounded (`MAX_RESULT_CHARS`), saying what was cut.
 */
export interface AgentTool<S extends z.ZodType = z.ZodType> {
  name: string
  description: string
  schema: S
  run(args: z.infer<S>, ctx: ToolContext): Promise<string>
}

const path = filePathSchema.describe('path of the file in the project, e.g. src/cli.ts')
const MAX_CONTENT = 200_000

const tool = <S extends z.ZodType>(t: AgentTool<S>): AgentTool => t

export const AGENT_TOOLS: AgentTool[] = [
  tool({
    name: 'list_files',
    description: 'List the paths of the files in the project (optionally only those under a folder).',
    schema: z.object({ under: z.string().max(512).optional().describe('folder, e.g. src') }),
    run: (a, ctx) => listFiles(ctx, a.under),
  }),
  tool({
    name: 'read_file',
    description:
      'Read a file as it is now (including what people are typing). Long files come in windows of lines: ask for more with start_line.',
    schema: z.object({ path, start_line: z.number().int().min(1).optional() }),
    run: (a, ctx) => readFile(ctx, a.path, a.start_line ?? 1),
  }),
  tool({
    name: 'search_code',
    description:
      'Search the project code (words and meaning); returns matching snippets with paths and lines.',
    schema: z.object({ query: z.string().min(1).max(500) }),
    run: (a, ctx) => searchCode(ctx, a.query),
  }),
  tool({
    name: 'edit_file',
    description:
      'Replace text in a file. Each edit quotes old_text exactly as in the file (a few whole lines, unique) and gives new_text; an empty new_text deletes. Read the file first.',
    schema: z.object({
      path,
      edits: z
        .array(z.object({ old_text: z.string().max(MAX_CONTENT), new_text: z.string().max(MAX_CONTENT) }))
        .min(1)
        .max(50),
    }),
    run: (a, ctx) => editFile(ctx, a.path, a.edits),
  }),
  tool({
    name: 'create_file',
    description: 'Create a new file with the given content.',
    schema: z.object({ path, content: z.string().max(MAX_CONTENT) }),
    run: (a, ctx) => createFile(ctx, a.path, a.content),
  }),
  tool({
    name: 'rename_file',
    description: 'Rename (move) a file.',
    schema: z.object({ path, new_path: filePathSchema }),
    run: (a, ctx) => renameFile(ctx, a.path, a.new_path),
  }),
  tool({
    name: 'delete_file',
    description: 'Delete a file (an editor must approve).',
    schema: z.object({ path }),
    run: (a, ctx) => deleteFile(ctx, a.path),
  }),
  tool({
    name: 'run_command',
    description:
      'Run a shell command in the project workspace terminal that everyone sees (an editor may have to approve). Returns the exit code and the end of the output.',
    schema: z.object({ command: z.string().min(1).max(2000) }),
    run: (a, ctx) => runCommand(ctx, a.command),
  }),
  tool({
    name: 'show_diff',
    description:
      "Show the changes as a unified diff (optionally of one file): git diff of the workspace when it is a git repository (everyone's uncommitted changes), else what this run changed.",
    schema: z.object({ path: filePathSchema.optional() }),
    run: (a, ctx) => showRunDiff(ctx, a.path),
  }),
]

const byName = new Map(AGENT_TOOLS.map((t) => [t.name, t]))

/** The tools as Ollama's `/api/chat` takes them (JSON Schema of each tool's arguments). */
export function ollamaTools(): Tool[] {
  return AGENT_TOOLS.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      description: t.description,
      parameters: z.toJSONSchema(t.schema, {
        io: 'input',
        unrepresentable: 'any',
      }) as Tool['function']['parameters'],
    },
  }))
}

/** Most characters of one tool result sent to the model. */
export const MAX_RESULT_CHARS = 16_000

export interface ToolOutcome {
  ok: boolean
  text: string
}

/** Validates and runs one tool call; every failure comes back as text for the model, never as a throw. */
export async function callTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const t = byName.get(name)
  if (!t)
    return { ok: false, text: `Error: there is no tool "${name}". Tools: ${[...byName.keys()].join(', ')}.` }
  const parsed = t.schema.safeParse(args)
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')
    return { ok: false, text: `Error: invalid arguments for ${name}: ${why}` }
  }
  try {
    return { ok: true, text: bounded(await t.run(parsed.data, ctx)) }
  } catch (e: unknown) {
    if (ctx.signal.aborted) throw e
    const message =
      e instanceof ToolError || e instanceof AppError ? e.message : 'the tool failed unexpectedly'
    return { ok: false, text: `Error: ${message}` }
  }
}

function bounded(text: string): string {
  if (text.length <= MAX_RESULT_CHARS) return text
  return `${text.slice(0, MAX_RESULT_CHARS)}\n… (cut: ${text.length - MAX_RESULT_CHARS} more characters not shown)`
}
