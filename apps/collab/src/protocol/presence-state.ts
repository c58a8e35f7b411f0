import { z } from 'zod'
import {
  AGENT_NAME,
  AGENT_USER_ID,
  agentTokenName,
  MAX_PATH_BYTES,
  OUTSIDE_AGENT_ID_PREFIX,
  WORKSPACE_USER,
} from '@mimiverse/shared'

/**
 * What an awareness (presence) state may hold, and whose it may claim to be.
 *
 * The fields clients publish: `user` `{id, name, color}` (the agent adds `onBehalfOf: {id, name}`, the person
 * who asked; the workspace mirror publishes only its `user`), `file` `{docName, path}` of the file the person looks at, `selection` `{anchor, head}` as y-monaco
 * shares it (Yjs relative positions, JSON), and `cursor`, which tests and benchmarks move. Anything else, or a
 * field of another shape, is refused: every other client renders these states.
 */

/** What kind of collab token a connection authenticated with. */
export const SpeakerKind = {
  /** A person's own token. */
  User: 'user',
  /** The AI agent's, acting for `userId`, the requester. */
  Agent: 'agent',
  /** The workspace mirror's (a service of the server, with no account). */
  Workspace: 'workspace',
} as const
export type SpeakerKind = (typeof SpeakerKind)[keyof typeof SpeakerKind]

/** Who a connection speaks for, from its collab token. */
export interface Speaker {
  /** The account's id (for the agent, the requester's); `WORKSPACE_USER.id` for the workspace mirror. */
  userId: string
  /** The token's name: the account's display name, or `agentTokenName(requester)` for the agent. */
  name: string
  kind: SpeakerKind
  /** An outside agent's own `user` `{id, name}`, from its token (an agent without one shows as Mimi). */
  agentAs?: { id: string; name: string }
}

const id = z.string().min(1).max(64)
const name = z.string().max(100)
const count = z.number().int().nonnegative()
/** A Yjs item id, `{client, clock}`. */
const itemId = z.strictObject({ client: count, clock: count })
/** A `Y.RelativePosition` as JSON (the class serialized, or `Y.relativePositionToJSON`). */
const relativePosition = z.strictObject({
  type: itemId.nullish(),
  tname: z.string().max(256).nullish(),
  item: itemId.nullish(),
  assoc: z.number().int().nullish(),
})
const selection = z.strictObject({ anchor: relativePosition, head: relativePosition })

const MAX_CURSOR_KEYS = 4

export const presenceStateSchema = z.strictObject({
  user: z
    .strictObject({
      id,
      name,
      color: z.string().max(32).optional(),
      onBehalfOf: z.strictObject({ id, name }).optional(),
    })
    .optional(),
  file: z.strictObject({ docName: z.string().max(80), path: z.string().max(MAX_PATH_BYTES) }).nullish(),
  selection: selection.nullish(),
  cursor: z
    .union([
      z.number(),
      z
        .record(z.string().max(16), z.union([z.number(), relativePosition]))
        .refine((c) => Object.keys(c).length <= MAX_CURSOR_KEYS),
    ])
    .nullish(),
})

export type PresenceState = z.infer<typeof presenceStateSchema>

/** Why a state was refused: a fixed text (field names are ours, never the client's), fit for a close reason. */
export interface PresenceProblem {
  /** The state names someone else (a `user` that is not the connection's own); otherwise its shape is wrong. */
  forged: boolean
  reason: string
}

/**
 * Why `speaker` may not publish `state`, or null when it may. A person's `user` must be their own: the token's
 * user id and name. The agent's is `{id: 'mimi-agent', name: 'Mimi'}` (an outside agent's: the id and name its
 * token carries) with `onBehalfOf` its requester, as its token says. The workspace mirror's is `WORKSPACE_USER`, `{id: 'mimi-workspace', name: 'Workspace'}`, and only a
 * workspace token may show it (a person's id is their account's, which is never `mimi-workspace`).
 */
export function presenceProblem(state: unknown, speaker: Speaker): PresenceProblem | null {
  const parsed = presenceStateSchema.safeParse(state)
  if (!parsed.success) return { forged: false, reason: describe(parsed.error.issues[0]) }
  const { user } = parsed.data
  const reason = user ? identityProblem(user, speaker) : null
  return reason ? { forged: true, reason } : null
}

function identityProblem(user: NonNullable<PresenceState['user']>, speaker: Speaker): string | null {
  switch (speaker.kind) {
    case SpeakerKind.User: {
      const own = user.id === speaker.userId && user.name === speaker.name && !user.onBehalfOf
      return own ? null : "user is not the connection's user"
    }
    case SpeakerKind.Agent: {
      const own = speaker.agentAs ?? { id: AGENT_USER_ID, name: AGENT_NAME }
      if (user.id !== own.id || user.name !== own.name) return 'the agent must show itself as the agent'
      const requester = user.onBehalfOf
      const forRequester = requester?.id === speaker.userId && agentTokenName(requester.name) === speaker.name
      return forRequester ? null : 'the agent must show whom it works for'
    }
    case SpeakerKind.Workspace: {
      const itself = user.id === WORKSPACE_USER.id && user.name === WORKSPACE_USER.name && !user.onBehalfOf
      return itself ? null : 'the workspace must show itself as the workspace'
    }
  }
}

function describe(issue: z.core.$ZodIssue | undefined): string {
  // Only the first path segment, which the schema knew: deeper segments can be keys the client chose.
  const field = issue?.path[0]
  if (issue?.code === 'unrecognized_keys')
    return field ? `unexpected field in ${String(field)}` : 'unexpected field'
  return field ? `invalid ${String(field)}` : 'state is not an object'
}

/**
 * The key that two connections of one principal share: a person's own connections, the agent's connections
 * for one requester, or the workspace mirror's. A client id held by one of them may pass to another (a provider
 * reconnecting while its old socket lingers).
 */
export function principalOf(speaker: Speaker): string {
  return `${speaker.kind}:${speaker.userId}`
}

/**
 * The principal a state names, for states without a connection here (other nodes' over Redis, which their node
 * checked the same way); undefined when it names none.
 */
export function principalOfState(state: unknown): string | undefined {
  const user = (state as { user?: { id?: unknown; onBehalfOf?: { id?: unknown } } } | null)?.user
  if (typeof user?.id !== 'string') return undefined
  if (user.id === WORKSPACE_USER.id) return `workspace:${user.id}`
  if (user.id !== AGENT_USER_ID && !user.id.startsWith(OUTSIDE_AGENT_ID_PREFIX)) return `user:${user.id}`
  const requester = user.onBehalfOf?.id
  return typeof requester === 'string' ? `agent:${requester}` : undefined
}
