import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { agentTestToken, connectPeer, type Peer } from '@mimiverse/collab/testing'
import { newGitWorld } from './git-fixtures'
import { onCleanup } from './mirror-fixtures'

const WAIT = { timeout: 20_000, interval: 50 }
const AGENT = 'Mimi (AI agent) <ai-agent@mimiverse.invalid>'

describe('co-authors of a commit', () => {
  it('credits everyone but the committer who edited a staged file since HEAD, the agent named as such', async () => {
    const world = await newGitWorld()
    const { projectId } = world
    const app = await world.create('app.ts', 'const a = 1\n')
    const notes = await world.create('notes.md', '# notes\n')
    const bob = await world.member('editor', 'Bob')
    const editor = (docName: string, token: () => Promise<string>): Peer => {
      const peer = connectPeer({ baseUrl: world.server.url, docName, token })
      onCleanup(() => peer.destroy())
      return peer
    }
    const bobToken = async () => (await bob.api.collab.token.mutate({ projectId })).token
    const onDisk = (path: string, text: string) => expect.poll(() => world.cat(path), WAIT).toBe(text)
    const commit = async (message: string, paths: string[]) => {
      await world.git.stage.mutate({ projectId, paths })
      return world.git.commit.mutate({ projectId, message })
    }

    // A file created with content is the server's edit: nobody to credit.
    expect((await commit('start', ['app.ts', 'notes.md'])).coAuthors).toEqual([])

    // Bob, the agent (acting for Bob) and Ann, the committer, write in app.ts.
    const ofBob = editor(app.docName, bobToken)
    await ofBob.synced()
    ofBob.text.insert(ofBob.text.length, 'const bob = 2\n')
    await ofBob.acknowledged()
    const agent = editor(app.docName, () =>
      Promise.resolve(
        agentTestToken({ requester: bob, projectId, docName: app.docName, runId: randomUUID() }),
      ),
    )
    await agent.synced()
    agent.text.insert(agent.text.length, 'const mimi = 3\n')
    await agent.acknowledged()
    const ann = world.peer(app.docName)
    await ann.synced()
    ann.text.insert(0, '// by Ann\n')
    await ann.acknowledged()
    // Bob also writes in notes.md, which stays out of this commit.
    const bobNotes = editor(notes.docName, bobToken)
    await bobNotes.synced()
    bobNotes.text.insert(bobNotes.text.length, 'todo\n')
    await bobNotes.acknowledged()

    await onDisk('app.ts', '// by Ann\nconst a = 1\nconst bob = 2\nconst mimi = 3\n')
    const together = await commit('Together', ['app.ts'])
    expect(together.author.name).toBe('Ann')
    expect(together.committer.name).toBe('Ann')
    expect(together.coAuthors).toHaveLength(2)
    expect(together.coAuthors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Bob <.+@.+>$/), AGENT]),
    )
    // The trailers are in the commit itself, as `git log` in a terminal shows them.
    const [logged] = await world.git.log.query({ projectId, limit: 1 })
    expect(logged).toMatchObject({ hash: together.hash, coAuthors: together.coAuthors })
    expect(logged!.body).toContain(`Co-authored-by: ${AGENT}`)

    // Edits before HEAD's commit count no more: Ann alone wrote app.ts since.
    ann.text.insert(ann.text.length, '// Ann again\n')
    await ann.acknowledged()
    await onDisk('app.ts', '// by Ann\nconst a = 1\nconst bob = 2\nconst mimi = 3\n// Ann again\n')
    expect((await commit('Ann alone', ['app.ts'])).coAuthors).toEqual([])

    // Committed by Bob: Ann's later edit of notes.md is credited; Bob's own edits are his as committer.
    const annNotes = world.peer(notes.docName)
    await annNotes.synced()
    annNotes.text.insert(0, '<!-- Ann -->\n')
    await annNotes.acknowledged()
    await onDisk('notes.md', '<!-- Ann -->\n# notes\ntodo\n')
    await bob.git.stage.mutate({ projectId, paths: ['notes.md'] })
    const byBob = await bob.git.commit.mutate({ projectId, message: 'Notes' })
    expect(byBob).toMatchObject({
      author: { name: 'Bob' },
      coAuthors: [expect.stringMatching(/^Ann <.+@.+>$/)],
    })
  })
})
