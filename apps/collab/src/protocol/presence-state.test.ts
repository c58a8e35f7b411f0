import { describe, expect, it } from 'vitest'
import {
  AGENT_NAME,
  AGENT_USER_ID,
  agentTokenName,
  colorFor,
  outsideAgentId,
  WORKSPACE_USER,
} from '@mimiverse/shared'
import { presenceProblem, principalOf, principalOfState, SpeakerKind, type Speaker } from './presence-state'

const ann: Speaker = { userId: 'u-ann', name: 'Ann', kind: SpeakerKind.User }
const agentForAnn: Speaker = { userId: 'u-ann', name: agentTokenName('Ann'), kind: SpeakerKind.Agent }
const workspace: Speaker = {
  userId: WORKSPACE_USER.id,
  name: WORKSPACE_USER.name,
  kind: SpeakerKind.Workspace,
}
const position = { type: { client: 1, clock: 2 }, tname: null, item: { client: 3, clock: 4 }, assoc: 0 }

describe('presenceProblem', () => {
  it('accepts what the web app, the agent, tests and benchmarks publish', () => {
    const web = {
      user: { id: 'u-ann', name: 'Ann', color: '' },
      file: { docName: 'p/f', path: 'src/main.ts' },
      selection: { anchor: position, head: { assoc: -1 } },
    }
    expect(presenceProblem({}, ann)).toBeNull()
    expect(presenceProblem(web, ann)).toBeNull()
    expect(presenceProblem({ ...web, file: null, selection: null }, ann)).toBeNull()
    expect(presenceProblem({ cursor: { line: 3 } }, ann)).toBeNull()
    expect(presenceProblem({ cursor: { anchor: position, head: position } }, ann)).toBeNull()
    expect(presenceProblem({ cursor: 7 }, ann)).toBeNull()
    const agent = {
      user: {
        id: AGENT_USER_ID,
        name: AGENT_NAME,
        color: '#c026d3',
        onBehalfOf: { id: 'u-ann', name: 'Ann' },
      },
      selection: { anchor: position, head: position },
    }
    expect(presenceProblem(agent, agentForAnn)).toBeNull()
  })

  it.each([
    ['a field nobody publishes', { marker: 1 }, 'unexpected field'],
    ['an extra key in user', { user: { id: 'u-ann', name: 'Ann', admin: true } }, 'unexpected field in user'],
    ['a selection that is not positions', { selection: { anchor: 1, head: 2 } }, 'invalid selection'],
    ['a long path', { file: { docName: 'p/f', path: 'x'.repeat(1100) } }, 'invalid file'],
    ['a cursor with many keys', { cursor: { a: 1, b: 2, c: 3, d: 4, e: 5 } }, 'invalid cursor'],
    ['an array', [1], 'state is not an object'],
  ])('refuses %s, in words of its own', (_, state, reason) => {
    expect(presenceProblem(state, ann)).toEqual({ forged: false, reason })
  })

  it("refuses a person's state that names someone else, and the agent's unless it names its requester", () => {
    const forged = (state: unknown, speaker: Speaker) => presenceProblem(state, speaker)?.forged
    expect(forged({ user: { id: 'u-bob', name: 'Ann' } }, ann)).toBe(true)
    expect(forged({ user: { id: 'u-ann', name: 'Boss' } }, ann)).toBe(true)
    expect(forged({ user: { id: AGENT_USER_ID, name: AGENT_NAME } }, ann)).toBe(true)
    const asAgent = (onBehalfOf?: { id: string; name: string }, name = AGENT_NAME) => ({
      user: { id: AGENT_USER_ID, name, ...(onBehalfOf ? { onBehalfOf } : {}) },
    })
    expect(forged(asAgent(), agentForAnn)).toBe(true)
    expect(forged(asAgent({ id: 'u-bob', name: 'Ann' }), agentForAnn)).toBe(true)
    expect(forged(asAgent({ id: 'u-ann', name: 'Bob' }), agentForAnn)).toBe(true)
    expect(forged(asAgent({ id: 'u-ann', name: 'Ann' }, 'Ann'), agentForAnn)).toBe(true)
    expect(forged({ user: { id: 'u-ann', name: 'Ann' } }, agentForAnn)).toBe(true)
  })

  it('lets an outside agent show the identity its token carries, and nothing else', () => {
    const forged = (state: unknown, speaker: Speaker) => presenceProblem(state, speaker)?.forged
    const as = { id: outsideAgentId('t-1', 'claude-code'), name: 'Claude Code (laptop)' }
    const outside: Speaker = { ...agentForAnn, agentAs: as }
    const onBehalfOf = { id: 'u-ann', name: 'Ann' }
    expect(presenceProblem({ user: { ...as, color: colorFor(as.id), onBehalfOf } }, outside)).toBeNull()
    expect(forged({ user: { id: AGENT_USER_ID, name: AGENT_NAME, onBehalfOf } }, outside)).toBe(true)
    expect(forged({ user: { ...as, name: 'Mimi', onBehalfOf } }, outside)).toBe(true)
    expect(forged({ user: { ...as, onBehalfOf: { id: 'u-bob', name: 'Ann' } } }, outside)).toBe(true)
    // Without the identity in its token, an agent cannot show one.
    expect(forged({ user: { ...as, onBehalfOf } }, agentForAnn)).toBe(true)
    expect(principalOfState({ user: { ...as, onBehalfOf } })).toBe(principalOf(outside))
  })

  it('lets only a workspace token show the workspace, and a workspace token show nothing else', () => {
    const forged = (state: unknown, speaker: Speaker) => presenceProblem(state, speaker)?.forged
    const asWorkspace = { user: { id: WORKSPACE_USER.id, name: WORKSPACE_USER.name } }
    expect(presenceProblem(asWorkspace, workspace)).toBeNull()
    expect(forged(asWorkspace, ann)).toBe(true)
    expect(forged(asWorkspace, agentForAnn)).toBe(true)
    // Even a person whose display name and token name are "Workspace".
    expect(forged(asWorkspace, { ...ann, name: WORKSPACE_USER.name })).toBe(true)
    expect(forged({ user: { id: WORKSPACE_USER.id, name: 'Ann' } }, workspace)).toBe(true)
    expect(forged({ user: { id: 'u-ann', name: 'Ann' } }, workspace)).toBe(true)
    expect(forged({ user: { id: AGENT_USER_ID, name: AGENT_NAME } }, workspace)).toBe(true)
    const onBehalf = { user: { ...asWorkspace.user, onBehalfOf: { id: 'u-ann', name: 'Ann' } } }
    expect(forged(onBehalf, workspace)).toBe(true)
  })
})

describe('principals', () => {
  it("are shared by a person's connections and states, and apart from their agent's", () => {
    expect(principalOf(ann)).toBe(principalOfState({ user: { id: 'u-ann', name: 'Ann' } }))
    const agentState = {
      user: { id: AGENT_USER_ID, name: AGENT_NAME, onBehalfOf: { id: 'u-ann', name: 'Ann' } },
    }
    expect(principalOf(agentForAnn)).toBe(principalOfState(agentState))
    expect(principalOf(agentForAnn)).not.toBe(principalOf(ann))
    expect(principalOf(workspace)).toBe(principalOfState({ user: WORKSPACE_USER }))
    expect(principalOf(workspace)).not.toBe(principalOf(ann))
    expect(principalOfState({})).toBeUndefined()
    expect(principalOfState(null)).toBeUndefined()
    expect(principalOfState({ user: { id: AGENT_USER_ID } })).toBeUndefined()
  })
})
