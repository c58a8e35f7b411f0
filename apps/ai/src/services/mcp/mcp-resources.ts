import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ErrorCode as McpErrorCode,
  ReadResourceRequestSchema,
  type Resource,
} from '@modelcontextprotocol/sdk/types.js'
import { filePathSchema } from '@mimiverse/shared'
import type { Workspace } from '../workspace'
import type { Principal } from './tokens'

/**
 * The project's files as MCP resources, for clients that attach files as context rather than call `read_file`:
 * `resources/list` pages through the paths (`PAGE_SIZE` a page, an opaque cursor), `resources/read` answers the
 * document's text as the collab server has acknowledged it (every acknowledged change is in the log first, so
 * this is what people see, typing included), and `resources/templates/list` gives the URI form. Reading needs no
 * run and no write access, so a reviewer's token reads too; the project is always the token's own, re-checked
 * on every HTTP request.
 */
export interface ResourceHost {
  /** The principal of the request being served. */
  principal: () => Principal
  workspace: Workspace
}

/** Files listed in one `resources/list` answer. */
export const PAGE_SIZE = 200
/** A longer cursor is not one we made. */
const MAX_CURSOR_CHARS = 2_048
/** JSON-RPC code the MCP specification gives an unknown resource. */
const RESOURCE_NOT_FOUND = -32002

const SCHEME = 'mimiverse:'
const HOST = 'files'
export const FILE_URI_TEMPLATE = `${SCHEME}//${HOST}/{+path}`

/** `mimiverse://files/src/my%20file.ts` for `src/my file.ts`: each segment encoded, slashes kept. */
export function fileUri(path: string): string {
  return `${SCHEME}//${HOST}/${path.split('/').map(encodeURIComponent).join('/')}`
}

/** The file path a URI names, or null when it is not one of our file URIs (or not a valid path). */
export function pathOfUri(uri: string): string | null {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return null
  }
  if (url.protocol !== SCHEME || url.host !== HOST || url.search || url.hash) return null
  let path: string
  try {
    path = url.pathname.slice(1).split('/').map(decodeURIComponent).join('/')
  } catch {
    return null
  }
  return filePathSchema.safeParse(path).success ? path : null
}

const file = (path: string): Resource => ({
  uri: fileUri(path),
  name: path,
  mimeType: 'text/plain',
})

export function registerResources(server: McpServer, host: ResourceHost): void {
  const projectId = () => host.principal().projectId
  server.server.registerCapabilities({ resources: {} })

  server.server.setRequestHandler(ListResourcesRequestSchema, async (request) => {
    const after = request.params?.cursor === undefined ? undefined : cursorPath(request.params.cursor)
    // One more than a page: whether there is a next page, without counting the project's files.
    const paths = await host.workspace.listPaths(projectId(), PAGE_SIZE + 1, after)
    const page = paths.slice(0, PAGE_SIZE)
    const next = paths.length > PAGE_SIZE ? page.at(-1) : undefined
    return {
      resources: page.map(file),
      ...(next === undefined ? {} : { nextCursor: Buffer.from(next).toString('base64url') }),
    }
  })

  server.server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: FILE_URI_TEMPLATE,
        name: 'file',
        title: 'A file of the project',
        description:
          'The live text of the file at path (e.g. src/cli.ts), as everyone in the session sees it.',
        mimeType: 'text/plain',
      },
    ],
  }))

  server.server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params
    const path = uri.length <= MAX_CURSOR_CHARS ? pathOfUri(uri) : null
    if (!path)
      throw new McpError(McpErrorCode.InvalidParams, `Not a file of this project: ${uri.slice(0, 200)}`)
    const found = await host.workspace.readFile(projectId(), path)
    if (!found) throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: there is no file "${path}"`)
    return { contents: [{ uri: fileUri(found.path), mimeType: 'text/plain', text: found.text }] }
  })
}

/** The last path of the previous page, from the cursor we gave; InvalidParams for anything else. */
function cursorPath(cursor: string): string {
  const path = cursor.length <= MAX_CURSOR_CHARS ? Buffer.from(cursor, 'base64url').toString() : ''
  if (!filePathSchema.safeParse(path).success || Buffer.from(path).toString('base64url') !== cursor) {
    throw new McpError(McpErrorCode.InvalidParams, 'Invalid cursor')
  }
  return path
}
