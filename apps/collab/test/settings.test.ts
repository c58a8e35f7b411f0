import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, PRESENCE_COLORS } from '@mimiverse/shared'
import { apiClient, errorCodeOf, signUp, TEST_PASSWORD } from '../src/testing/index'
import { assignColors } from '../src/services/presence-colors'
import { newServer, newWorkspace } from './fixtures'

describe('settings', () => {
  it('reads defaults, keeps a partial update per user, and follows the account to another session', async () => {
    const server = await newServer()
    const { owner, member } = await newWorkspace(server)
    const ed = await member('editor', 'Ed')
    expect(await owner.api.settings.get.query()).toEqual(DEFAULT_SETTINGS)

    const updated = await owner.api.settings.update.mutate({ theme: 'light', fontSize: 20, vim: true })
    expect(updated).toEqual({ ...DEFAULT_SETTINGS, theme: 'light', fontSize: 20, vim: true })
    expect(await owner.api.settings.update.mutate({ tabSize: 4 })).toMatchObject({ fontSize: 20, tabSize: 4 })

    // Another device of the same person: a new session sees the same settings.
    const again = await apiClient(server.url).auth.signIn.mutate({
      email: owner.email,
      password: TEST_PASSWORD,
    })
    expect(await apiClient(server.url, again.token).settings.get.query()).toMatchObject({
      theme: 'light',
      fontSize: 20,
      tabSize: 4,
      vim: true,
    })
    // Nobody else's settings changed, and there is no input naming another user.
    expect(await ed.api.settings.get.query()).toEqual(DEFAULT_SETTINGS)
    expect(await errorCodeOf(apiClient(server.url).settings.get.query())).toBe('UNAUTHORIZED')
    expect(await errorCodeOf(apiClient(server.url).settings.update.mutate({ vim: true }))).toBe(
      'UNAUTHORIZED',
    )
  })

  it('refuses invalid, out-of-range, unknown and empty updates, naming the field', async () => {
    const server = await newServer()
    const ann = await signUp(server.url, 'Ann')
    const bad = [
      { fontSize: 7 },
      { fontSize: 33 },
      { fontSize: 14.5 },
      { tabSize: 0 },
      { theme: 'solarized' },
      { renderWhitespace: 'sometimes' },
      { color: '#123456' },
      { color: 'red; background: url(x)' },
      { userId: ann.id },
      {},
    ]
    for (const input of bad) {
      const call = ann.api.settings.update.mutate(input as never)
      await expect(call, JSON.stringify(input)).rejects.toMatchObject({
        data: { code: 'BAD_REQUEST' },
      })
    }
    await expect(ann.api.settings.update.mutate({ fontSize: 40 })).rejects.toThrow(/fontSize/)
    expect(await ann.api.settings.get.query()).toEqual(DEFAULT_SETTINGS)
  })

  it('gives every member of a project a distinct colour and refuses a pick another member has', async () => {
    const server = await newServer()
    const { owner, project, member } = await newWorkspace(server)
    const people = [owner]
    for (const name of ['Bo', 'Cy', 'Di', 'Ed']) people.push(await member('editor', name))
    const colorsOf = async () =>
      new Map(
        (await owner.api.settings.colors.query({ projectId: project.id })).map((c) => [c.userId, c.color]),
      )
    const before = await colorsOf()
    expect([...before.keys()].sort()).toEqual(people.map((p) => p.id).sort())
    expect(new Set(before.values()).size).toBe(people.length)

    // Bo takes a free colour; Cy cannot take Bo's, and the message says whose it is.
    const bo = people[1]!
    const cy = people[2]!
    const free = PRESENCE_COLORS.find((c) => ![...before.values()].includes(c))!
    expect((await bo.api.settings.update.mutate({ color: free })).color).toBe(free)
    expect((await colorsOf()).get(bo.id)).toBe(free)
    await expect(cy.api.settings.update.mutate({ color: free })).rejects.toMatchObject({
      data: { code: 'CONFLICT' },
      message: expect.stringMatching(/Bo .* demo/),
    })
    // Nor one another member has by default.
    const dis = (await colorsOf()).get(people[3]!.id)!
    expect(await errorCodeOf(cy.api.settings.update.mutate({ color: dis as never }))).toBe('CONFLICT')
    expect((await cy.api.settings.get.query()).color).toBeNull()

    // Someone outside the project may use Bo's colour, and joining keeps the project's colours distinct.
    const out = await signUp(server.url, 'Out')
    expect((await out.api.settings.update.mutate({ color: free })).color).toBe(free)
    expect(await errorCodeOf(out.api.settings.colors.query({ projectId: project.id }))).toBe('FORBIDDEN')
    const { code } = await owner.api.projects.invite.mutate({ projectId: project.id, role: 'reviewer' })
    await out.api.projects.join.mutate({ code })
    const after = await colorsOf()
    expect(after.get(bo.id)).toBe(free)
    expect(after.get(out.id)).not.toBe(free)
    expect(new Set(after.values()).size).toBe(people.length + 1)
    // Everyone reads the same colours.
    expect(await out.api.settings.colors.query({ projectId: project.id })).toEqual(
      await owner.api.settings.colors.query({ projectId: project.id }),
    )
  })
})

describe('assignColors', () => {
  it('stays distinct past the palette, first come first served', () => {
    const members = Array.from({ length: 40 }, (_, i) => ({
      userId: `user-${i}`,
      preferred: i % 2 ? PRESENCE_COLORS[0] : null,
    }))
    const colors = assignColors(members)
    expect(new Set(colors.values()).size).toBe(40)
    expect(colors.get('user-1')).toBe(PRESENCE_COLORS[0])
  })
})
