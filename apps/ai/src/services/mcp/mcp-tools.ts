import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'
import { canWrite, filePathSchema } from '@mimiverse/shared'
import { runCommand } from '../agent/task/command-tool'
import { createFile, deleteFile, editFile, renameFile } from '../agent/task/file-tools'
import { listFiles, readFile, searchCode, showDiff, windowOf } from '../agent/task/read-tools'
import { ToolError, type ToolContext } from '../agent/task/tool-context'
import { MAX_RESULT_CHARS } from '../agent/task/tools'
import type { Principal } from './tokens'
import { describeGitDiff, describePresence, type ProjectPresence, type WorkspaceGit } from './workspace-views'

/**
 * The tools an outside agent sees over MCP, in the shapes agents already know (the reference filesystem
 * server's `edit_file {path, edits: [{oldText, newText}]}`, editors' `read_file {path, offset, limit}`). Each
 * runs the agent's own task tool (`services/agent/task`) inside the session's run, so edits stream into the
 * live documents as a collaborator's, highlighted for review, exactly as Mimi's do. A reviewer's token is
 * offered the read-only tools only, and every write checks the role again (it is re-read on each request).
 */
export interface ToolHost {
  /** The principal of the request being served (authenticated again on every HTTP request). */
  principal: () => Principal
  /** Runs `work` as one step of the session's run (started on first use). */
  call: (tool: string, args: unknown, work: (ctx: ToolContext) => Promise<string>) => Promise<CallToolResult>
  /** Who is where in the project; null when this server has no view of the live documents. */
  presence: ProjectPresence | null
  /** The workspace's git; null when this server has no workspace runner. */
  git: WorkspaceGit | null
}

const path = filePathSchema.describe('path of the file in the project, e.g. src/cli.ts')
const MAX_CONTENT = 200_000

const readOnly: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, openWorldHint: false }
const additive: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: false }
const destructive: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, openWorldHint: false }

/** What a reviewer's token (or a creator demoted since) is told when it tries to write. */
export const READ_ONLY_REFUSAL =
  'Error: this token can read and search only (its role, or its creator’s, is reviewer)'

export function registerTools(server: McpServer, host: ToolHost): void {
  const { call } = host
  const write =
    (tool: string, args: unknown, work: (ctx: ToolContext) => Promise<string>) =>
    async (): Promise<CallToolResult> => {
      if (!canWrite(host.principal().role)) return { isError: true, content: [text(READ_ONLY_REFUSAL)] }
      return call(tool, args, work)
    }

  server.registerTool(
    'list_files',
    {
      description: 'List the paths of the files in the project (optionally only those under a folder).',
      inputSchema: { path: z.string().max(512).optional().describe('folder, e.g. src') },
      annotations: readOnly,
    },
    (a) => call('list_files', a, (ctx) => listFiles(ctx, a.path)),
  )
  server.registerTool(
    'read_file',
    {
      description:
        'Read a file as it is now in the shared session (including what people are typing). offset: first line (1-based); limit: most lines (400 at most per call).',
      inputSchema: {
        path,
        offset: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      },
      annotations: readOnly,
    },
    (a) =>
      call('read_file', a, (ctx) =>
        canWrite(host.principal().role)
          ? readFile(ctx, a.path, a.offset ?? 1, a.limit)
          : readStored(ctx, a.path, a.offset ?? 1, a.limit),
      ),
  )
  server.registerTool(
    'search_code',
    {
      description:
        'Search the project code; returns matching snippets with paths and lines. mode: text (words), vector (meaning) or hybrid (both, the default).',
      inputSchema: {
        query: z.string().min(1).max(500),
        mode: z.enum(['text', 'vector', 'hybrid']).optional(),
      },
      annotations: readOnly,
    },
    (a) => call('search_code', a, (ctx) => searchCode(ctx, a.query, a.mode)),
  )
  server.registerTool(
    'show_diff',
    {
      description: 'What this session changed so far, as a unified diff per file (optionally one file).',
      inputSchema: { path: filePathSchema.optional() },
      annotations: readOnly,
    },
    (a) => call('show_diff', a, (ctx) => showDiff(ctx, a.path)),
  )
  server.registerTool(
    'get_presence',
    {
      description:
        'Who is in the project now (people and agents), the file each one looks at and their cursor line there. Look before editing a file someone is working in.',
      inputSchema: {},
      annotations: readOnly,
    },
    () => call('get_presence', {}, (ctx) => Promise.resolve(describePresence(host.presence, ctx.projectId))),
  )
  server.registerTool(
    'git_diff',
    {
      description:
        "The workspace's git diff: every change not committed yet (or with staged: true, only what is staged), as a unified diff, optionally of one path, with the untracked files. Needs the project's workspace to be a git repository.",
      inputSchema: { path: filePathSchema.optional(), staged: z.boolean().optional() },
      annotations: readOnly,
    },
    (a) =>
      call('git_diff', a, (ctx) =>
        describeGitDiff(host.git, ctx.projectId, {
          ...(a.path ? { path: a.path } : {}),
          staged: a.staged ?? false,
        }),
      ),
  )
  if (!canWrite(host.principal().role)) return

  server.registerTool(
    'edit_file',
    {
      description:
        'Replace text in a file of the live session. Each edit quotes oldText as in the file (a few whole lines, unique; matched exactly, then ignoring whitespace) and gives newText; an empty newText deletes. The change streams in as a collaborator’s edit, highlighted for review; people typing meanwhile lose nothing.',
      inputSchema: {
        path,
        edits: z
          .array(z.object({ oldText: z.string().max(MAX_CONTENT), newText: z.string().max(MAX_CONTENT) }))
          .min(1)
          .max(50),
      },
      annotations: destructive,
    },
    (a) =>
      write('edit_file', { path: a.path, edits: a.edits.length }, (ctx) =>
        editFile(
          ctx,
          a.path,
          a.edits.map((e) => ({ old_text: e.oldText, new_text: e.newText })),
        ),
      )(),
  )
  server.registerTool(
    'create_file',
    {
      description: 'Create a new file with the given content.',
      inputSchema: { path, content: z.string().max(MAX_CONTENT) },
      annotations: additive,
    },
    (a) => write('create_file', { path: a.path }, (ctx) => createFile(ctx, a.path, a.content))(),
  )
  server.registerTool(
    'rename_file',
    {
      description: 'Rename (move) a file.',
      inputSchema: { path, newPath: filePathSchema },
      annotations: additive,
    },
    (a) => write('rename_file', a, (ctx) => renameFile(ctx, a.path, a.newPath))(),
  )
  server.registerTool(
    'delete_file',
    {
      description: 'Delete a file (an editor of the project must approve it in the IDE).',
      inputSchema: { path },
      annotations: destructive,
    },
    (a) => write('delete_file', a, (ctx) => deleteFile(ctx, a.path))(),
  )
  server.registerTool(
    'run_command',
    {
      description:
        'Run a shell command in the project’s shared workspace terminal (an editor may have to approve it in the IDE). Returns the exit code and the end of the output.',
      inputSchema: { command: z.string().min(1).max(2000) },
      annotations: { ...destructive, openWorldHint: true },
    },
    (a) => write('run_command', a, (ctx) => runCommand(ctx, a.command))(),
  )
}

/**
 * A reviewer's read: the collab server lets the agent join a document only for someone who may edit it, so a
 * reviewer's agent reads the stored text (what the server has saved of the live session) instead.
 */
async function readStored(ctx: ToolContext, path: string, offset: number, limit?: number): Promise<string> {
  const file = await ctx.workspace.readFile(ctx.projectId, path)
  if (!file) throw new ToolError(`there is no file "${path}" in the project (list_files shows the paths)`)
  return windowOf(path, file.text, offset, limit).text
}

export function text(t: string): { type: 'text'; text: string } {
  return { type: 'text', text: t }
}

/** A tool's answer, bounded like the agent's own (saying what was cut). */
export function toolResult(out: { ok: boolean; text: string }): CallToolResult {
  const t =
    out.text.length <= MAX_RESULT_CHARS
      ? out.text
      : `${out.text.slice(0, MAX_RESULT_CHARS)}\n… (cut: ${out.text.length - MAX_RESULT_CHARS} more characters not shown)`
  return { isError: !out.ok, content: [text(t)] }
}
