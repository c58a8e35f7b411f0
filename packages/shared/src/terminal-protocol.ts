import { z } from 'zod'
import { roleSchema } from './roles'

/**
 * The shared-terminal channel: one WebSocket per (browser tab, project) at `/terminals?project=<id>`, JSON text
 * frames.
 *
 * 1. The client sends `auth` with a collab token (`collab.token`) within 10 s; anything else first is refused.
 * 2. The server checks the token and the membership in the database, then answers `hello` (who you are, your
 *    role, whether terminals are available here and why not, the project's terminals) followed by one `screen`
 *    per terminal: the current screen and scrollback, so a late joiner sees what everyone sees.
 * 3. Editors and owners send `open`, `input`, `resize`, `kill` and `close`; reviewers only watch (the server
 *    answers their writes with `error`). Everyone receives `list` when terminals come and go, `output` as it
 *    is produced, `exited` with the status, and `typing` when someone types in a terminal. A client that falls
 *    behind stops getting `output` and gets a fresh `screen` once it caught up.
 *
 * Refusals close the socket with a code of `CloseCode`: 4400 malformed or unexpected message, 4401 bad token,
 * 4403 not a member (or an agent token), 4408 no `auth` in time, 4409 the member's role changed (reconnect),
 * 4429 too many connections, 1009 a frame over `TERMINAL_MAX_MESSAGE_BYTES`.
 */

export const TERMINAL_PATH = '/terminals'
/** Largest frame a client may send (input is cut into messages of at most `TERMINAL_MAX_INPUT_CHARS`). */
export const TERMINAL_MAX_MESSAGE_BYTES = 64 * 1024
export const TERMINAL_MAX_INPUT_CHARS = 16 * 1024
/** Seconds a new socket has to authenticate. */
export const TERMINAL_AUTH_SECONDS = 10

const terminalId = z.uuid()
const cols = z.number().int().min(2).max(500)
const rows = z.number().int().min(1).max(200)
/** A package.json script name to run: never an option, never a path outside npm's own meaning. */
export const runScriptSchema = z
  .string()
  .regex(
    /^\w[\w:.@/+-]{0,99}$/,
    'letters, digits and _ : . @ / + - (at most 100), starting with a letter or digit',
  )

export const terminalClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('open'), cols, rows, run: z.object({ script: runScriptSchema }).optional() }),
  z.object({
    type: z.literal('input'),
    id: terminalId,
    data: z.string().min(1).max(TERMINAL_MAX_INPUT_CHARS),
  }),
  z.object({ type: z.literal('resize'), id: terminalId, cols, rows }),
  /** Ends the command (the whole sandbox); the terminal stays listed with its exit status. */
  z.object({ type: z.literal('kill'), id: terminalId }),
  /** Removes the terminal from the project, killing it first when it still runs. */
  z.object({ type: z.literal('close'), id: terminalId }),
])
export type TerminalClientMessage = z.infer<typeof terminalClientMessage>

const person = z.object({ id: z.string(), name: z.string() })
export type TerminalPerson = z.infer<typeof person>

export const terminalInfoSchema = z.object({
  id: terminalId,
  /** `shell` for an interactive shell, `run` for one command (`npm run <script>`, or one the agent runs). */
  kind: z.enum(['shell', 'run']),
  title: z.string(),
  createdBy: person,
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
  cols,
  rows,
  /** Set once the command ended: its exit code, or the signal that ended it (0 when none). */
  exit: z.object({ code: z.number(), signal: z.number() }).optional(),
})
export type TerminalInfo = z.infer<typeof terminalInfoSchema>

export const terminalServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    user: person,
    role: roleSchema,
    canWrite: z.boolean(),
    /** Whether this node can run terminals; when false, `reason` says why (e.g. bubblewrap missing). */
    available: z.boolean(),
    reason: z.string().optional(),
    terminals: z.array(terminalInfoSchema),
    maxTerminals: z.number(),
  }),
  z.object({ type: z.literal('list'), terminals: z.array(terminalInfoSchema) }),
  /** The terminal's whole state as escape sequences: reset the view, then write `data`. */
  z.object({ type: z.literal('screen'), id: terminalId, cols, rows, data: z.string() }),
  z.object({ type: z.literal('output'), id: terminalId, data: z.string() }),
  z.object({ type: z.literal('exited'), id: terminalId, code: z.number(), signal: z.number() }),
  z.object({ type: z.literal('typing'), id: terminalId, user: person }),
  z.object({ type: z.literal('error'), message: z.string(), id: terminalId.optional() }),
])
export type TerminalServerMessage = z.infer<typeof terminalServerMessage>
