import { describe, expect, it } from 'vitest'
import type { CodebaseSearch } from './chat-context'
import { createCompletionSources } from './completion-sources'
import type { Workspace } from './workspace'

const PROJECT = '11111111-1111-4111-8111-111111111111'
const DOC = `${PROJECT}/22222222-2222-4222-8222-222222222222`

function setup() {
  const queries: string[] = []
  const codebase: CodebaseSearch = {
    search: (_projectId, query) => {
      queries.push(query)
      return Promise.resolve([{ path: 'src/hit.ts', text: `hit for ${query}` }])
    },
  }
  const workspace = { projectOf: () => PROJECT } as unknown as Workspace
  let clock = 0
  const sources = createCompletionSources({ workspace, codebase, now: () => clock })
  const gather = (prefix: string) =>
    sources.gather({ projectId: PROJECT, docName: DOC, prefix, openFiles: [], recentEdits: [] })
  return { queries, gather, advance: (ms: number) => (clock += ms) }
}

describe('completion sources: search hits', () => {
  it('searches once per scope while someone types along a line, and again in a new scope or later', async () => {
    const { queries, gather, advance } = setup()
    const above = 'function total(items) {\n  let sum = 0\n  for (const item of items) {\n'
    for (const typed of ['    s', '    sum', '    sum +', '    sum += item.'])
      expect((await gather(above + typed)).search).toEqual([{ path: 'src/hit.ts', text: expect.any(String) }])
    expect(queries).toEqual(['function total(items) {\n  let sum = 0\n  for (const item of items) {'])

    await gather(`${above}    sum += item.price\n  }\n  r`)
    expect(queries).toHaveLength(2)

    advance(10_000)
    await gather(above + '    sum')
    expect(queries).toHaveLength(3)
  })

  it('uses the line itself on the first line of a file', async () => {
    const { queries, gather } = setup()
    await gather('import { sum')
    expect(queries).toEqual(['import { sum'])
  })
})
