import { describe, expect, it } from 'vitest'
import { outsideAgentId } from '@mimiverse/shared'
import { createCollabTokenIssuer, WORKSPACE_SUBJECT } from './collab-token'

const claims = {
  userId: '0b7c4a7e-6a56-4c1b-9f57-0c8c1d1f2a3b',
  name: 'Ann',
  projectId: '5d2f0f0e-8a1b-4c3d-9e4f-a1b2c3d4e5f6',
  role: 'editor' as const,
}

describe('collab tokens', () => {
  it('verify when signed with the same secret and unexpired', () => {
    const issuer = createCollabTokenIssuer('s'.repeat(32), 60)
    const { token, expiresAt } = issuer.issue(claims)
    expect(issuer.verify(token)).toMatchObject({ sub: claims.userId, pid: claims.projectId, role: 'editor' })
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now())
  })

  it('are refused with another secret, after expiry, or when malformed', () => {
    const now = Date.now()
    const issuer = createCollabTokenIssuer('s'.repeat(32), 60, () => now)
    const { token } = issuer.issue(claims)
    expect(() => createCollabTokenIssuer('t'.repeat(32), 60).verify(token)).toThrow(/signature/)
    expect(() => createCollabTokenIssuer('s'.repeat(32), 60, () => now + 61_000).verify(token)).toThrow(
      /expired/,
    )
    for (const bad of ['', 'abc', 'a.b.c', `${token}x`]) expect(() => issuer.verify(bad)).toThrow()
  })

  it('are refused with anything appended to or changed in their signature', () => {
    const issuer = createCollabTokenIssuer('s'.repeat(32), 60)
    const { token } = issuer.issue(claims)
    const [body, mac] = token.split('.') as [string, string]
    // The last character of a 32-byte base64url MAC carries two unused bits: a neighbour decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const sameBytes = mac.slice(0, -1) + alphabet[alphabet.indexOf(mac.at(-1)!) ^ 1]!
    expect(Buffer.from(sameBytes, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true)
    for (const bad of [`${token}!!`, `${token}A`, `${token}=`, `${token} `, `${body}.${sameBytes}`]) {
      expect(() => issuer.verify(bad), bad.slice(-4)).toThrow(/signature/)
    }
  })

  it('carry the minting session, and none on agent tokens', () => {
    const issuer = createCollabTokenIssuer('s'.repeat(32), 60)
    const sessionTokenHash = 'ab'.repeat(32)
    expect(issuer.verify(issuer.issue({ ...claims, sessionTokenHash }).token).sid).toBe(sessionTokenHash)
    expect(issuer.verify(issuer.issue(claims).token).sid).toBeUndefined()
  })

  it('mark workspace tokens, which name no account and only their project', () => {
    const issuer = createCollabTokenIssuer('s'.repeat(32), 60)
    expect(issuer.verify(issuer.issueWorkspace(claims.projectId).token)).toMatchObject({
      sub: WORKSPACE_SUBJECT,
      pid: claims.projectId,
      workspace: true,
    })
    expect(issuer.verify(issuer.issueWorkspace(claims.projectId).token).sid).toBeUndefined()
    expect(issuer.verify(issuer.issue(claims).token).workspace).toBeUndefined()
  })

  it("carry an outside agent's identity only under the outside agents' id prefix", () => {
    const issuer = createCollabTokenIssuer('s'.repeat(32), 60)
    const agent = { runId: claims.projectId, doc: `${claims.projectId}/f` }
    const as = { id: outsideAgentId(claims.userId, 'codex'), name: 'Codex (laptop)' }
    expect(issuer.verify(issuer.issue({ ...claims, agent: { ...agent, as } }).token).agent?.as).toEqual(as)
    const posing = issuer.issue({ ...claims, agent: { ...agent, as: { id: claims.userId, name: 'Ann' } } })
    expect(() => issuer.verify(posing.token)).toThrow(/malformed/)
  })
})
