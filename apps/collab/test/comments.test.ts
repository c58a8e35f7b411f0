import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { COMMENTS_EVENT, MAX_COMMENT_CHARS } from '@mimiverse/shared'
import { errorCodeOf, signUp } from '../src/testing/index'
import { newServer, newWorkspace, serverHandledFrom } from './fixtures'

const at = (doc: Y.Doc, encoded: string) =>
  Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(encoded, 'base64')), doc)
    ?.index

describe('review comments', () => {
  it('follow edits above them, arrive live, and show outdated with their quote once their code is deleted', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'first\nconst x = 1\nlast\n')
    const alice = ws.peer(ws.owner)
    await alice.synced()
    const events: string[] = []
    alice.provider.on('stateless', ({ payload }: { payload: string }) => events.push(payload))
    const input = { projectId: ws.project.id, path: ws.file.path }

    const thread = await ws.owner.api.comments.create.mutate({ ...input, from: 6, to: 17, body: 'why 1?' })
    expect(thread).toMatchObject({
      quote: 'const x = 1',
      range: { from: 6, to: 17, startLine: 2, endLine: 2 },
      outdated: false,
      status: 'open',
      author: { id: ws.owner.id, name: 'Owner' },
    })
    await vi.waitFor(() =>
      expect(events.map((e) => JSON.parse(e) as unknown)).toContainEqual({
        type: COMMENTS_EVENT,
        projectId: ws.project.id,
        threadId: thread.id,
      }),
    )

    alice.text.insert(0, '// header\n')
    alice.text.insert(alice.text.toString().indexOf('const'), 'export ')
    await alice.acknowledged()
    const [moved] = await ws.owner.api.comments.list.query(input)
    expect(moved).toMatchObject({ range: { from: 23, to: 34, startLine: 3 }, outdated: false })
    // Clients resolve the same anchor in their own copy of the document.
    expect(
      alice.text.toString().slice(at(alice.doc, moved!.anchor.from), at(alice.doc, moved!.anchor.to)),
    ).toBe('const x = 1')

    const start = alice.text.toString().indexOf('export const')
    alice.text.delete(start, 'export const x = 1\n'.length)
    await alice.acknowledged()
    const [outdated] = await ws.owner.api.comments.list.query(input)
    expect(outdated).toMatchObject({ outdated: true, range: null, quote: 'const x = 1' })

    // A thread can also start from relative positions the client encoded.
    alice.text.insert(alice.text.length, 'tail\n')
    await alice.acknowledged()
    const rel = (index: number, assoc: number) =>
      Buffer.from(
        Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(alice.text, index, assoc)),
      ).toString('base64')
    const end = alice.text.length
    const fromRel = await ws.owner.api.comments.create.mutate({
      ...input,
      from: rel(end - 5, 0),
      to: rel(end - 1, -1),
      body: 'tail?',
    })
    expect(fromRel).toMatchObject({ quote: 'tail', outdated: false })
  })

  it('has threads with replies, edits and deletes only by their authors, resolve and reopen, and mentions in the inbox', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'a\nb\nc\n')
    const bob = await ws.member('editor', 'Bob')
    const rita = await ws.member('reviewer', 'Rita')
    const input = { projectId: ws.project.id, path: ws.file.path }
    const thread = await rita.api.comments.create.mutate({ ...input, from: 2, to: 3, body: 'b? @Bob' })
    const reply = await bob.api.comments.reply.mutate({ threadId: thread.id, body: 'yes, @rita' })
    const second = await ws.owner.api.comments.reply.mutate({ commentId: reply.id, body: 'agreed' })
    expect(second.threadId).toBe(thread.id)

    // Only the author edits or deletes.
    expect(await errorCodeOf(ws.owner.api.comments.update.mutate({ commentId: reply.id, body: 'x' }))).toBe(
      'FORBIDDEN',
    )
    expect(await errorCodeOf(rita.api.comments.delete.mutate({ commentId: reply.id }))).toBe('FORBIDDEN')
    await bob.api.comments.update.mutate({ commentId: reply.id, body: 'yes indeed, @Rita' })
    await ws.owner.api.comments.delete.mutate({ commentId: second.id })
    // A first comment with replies stays as a deleted placeholder; the replies stay.
    await rita.api.comments.delete.mutate({ commentId: thread.id })
    let [listed] = await bob.api.comments.list.query(input)
    expect(listed).toMatchObject({ id: thread.id, deleted: true, body: '', quote: 'b' })
    expect(listed!.replies.map((r) => [r.body, r.editedAt !== null])).toEqual([['yes indeed, @Rita', true]])

    // Anyone in the project resolves and reopens; the filters follow.
    await rita.api.comments.resolve.mutate({ threadId: thread.id })
    expect(await bob.api.comments.list.query({ ...input, status: 'open' })).toEqual([])
    ;[listed] = await bob.api.comments.list.query({ projectId: ws.project.id, status: 'resolved' })
    expect(listed).toMatchObject({ status: 'resolved', resolvedBy: { id: rita.id, name: 'Rita' } })
    await bob.api.comments.reopen.mutate({ commentId: reply.id })
    expect(await bob.api.comments.list.query({ ...input, status: 'open' })).toHaveLength(1)
    expect(await bob.api.comments.list.query({ ...input, author: bob.id })).toEqual([])
    expect(await bob.api.comments.list.query({ ...input, author: rita.id })).toHaveLength(1)

    // Mentions: Bob (in the deleted first comment, so no longer listed), Rita in Bob's reply.
    const inbox = await rita.api.comments.inbox.query({ projectId: ws.project.id })
    expect(inbox).toMatchObject([{ threadId: thread.id, author: { name: 'Bob' }, path: ws.file.path }])
    expect(await bob.api.comments.inbox.query({})).toEqual([])
    expect(await rita.api.comments.markRead.mutate({ mentionIds: [inbox[0]!.id] })).toEqual({ marked: 1 })
    expect(await rita.api.comments.inbox.query({ unreadOnly: true })).toEqual([])
    expect(await ws.owner.api.comments.inbox.query({})).toEqual([])
  })

  it('lets a reviewer comment while their crafted document update is still refused', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'base\n')
    const rita = await ws.member('reviewer', 'Rita')
    const editor = ws.peer(ws.owner)
    const watcher = ws.peer(rita)
    await Promise.all([editor.synced(), watcher.synced()])

    watcher.text.insert(0, 'REVIEWER WAS HERE ')
    const thread = await rita.api.comments.create.mutate({
      projectId: ws.project.id,
      path: ws.file.path,
      from: 0,
      to: 4,
      body: 'naming',
    })
    expect(thread).toMatchObject({ quote: 'base', author: { id: rita.id } })
    await serverHandledFrom(watcher, editor)
    expect(server.hocuspocus.documents.get(ws.file.docName)?.getText('content').toString()).toBe('base\n')
    expect(editor.text.toString()).toBe('base\n')
    expect(await ws.read()).toBe('base\n')
    expect(await rita.api.comments.list.query({ projectId: ws.project.id })).toHaveLength(1)
  })

  it('refuses non-members, oversized bodies and empty selections', async () => {
    const server = await newServer()
    const ws = await newWorkspace(server, 'some code\n')
    const stranger = await signUp(server.url, 'Mallory')
    const input = { projectId: ws.project.id, path: ws.file.path, from: 0, to: 4 }
    const thread = await ws.owner.api.comments.create.mutate({ ...input, body: 'ok' })

    expect(await errorCodeOf(stranger.api.comments.list.query({ projectId: ws.project.id }))).toBe(
      'FORBIDDEN',
    )
    expect(await errorCodeOf(stranger.api.comments.create.mutate({ ...input, body: 'hi' }))).toBe('FORBIDDEN')
    expect(await errorCodeOf(stranger.api.comments.reply.mutate({ threadId: thread.id, body: 'hi' }))).toBe(
      'FORBIDDEN',
    )
    expect(await errorCodeOf(stranger.api.comments.resolve.mutate({ threadId: thread.id }))).toBe('FORBIDDEN')
    expect(await errorCodeOf(stranger.api.comments.inbox.query({ projectId: ws.project.id }))).toBe(
      'FORBIDDEN',
    )

    const big = 'x'.repeat(MAX_COMMENT_CHARS + 1)
    expect(await errorCodeOf(ws.owner.api.comments.create.mutate({ ...input, body: big }))).toBe(
      'BAD_REQUEST',
    )
    expect(await errorCodeOf(ws.owner.api.comments.reply.mutate({ threadId: thread.id, body: big }))).toBe(
      'BAD_REQUEST',
    )
    expect(await errorCodeOf(ws.owner.api.comments.create.mutate({ ...input, to: 0, body: 'x' }))).toBe(
      'BAD_REQUEST',
    )
    expect(await errorCodeOf(ws.owner.api.comments.create.mutate({ ...input, to: 999, body: 'x' }))).toBe(
      'BAD_REQUEST',
    )
    expect(await ws.owner.api.comments.list.query({ projectId: ws.project.id })).toHaveLength(1)
  })
})
