import { useEffect, useMemo, useRef, useState } from 'react'
import type { SearchMode, SearchStatus } from '../ai/ai-client'
import { groupByFile, highlight, queryTerms, type FileGroup } from './search-results'
import { searchIndexVersion, useSearch } from './use-search'

export interface SearchPanelProps {
  projectId: string
  /** Whether the panel is shown (it stays mounted, keeping the query and results, when hidden). */
  open: boolean
  /** Changes each time the shortcut asks for the query box to be focused. */
  focusRequest: number
  status: SearchStatus | null
  statusError: string | null
  onOpenAt: (fileId: string, line: number) => void
}

const MODES: { mode: SearchMode; label: string; title: string }[] = [
  { mode: 'hybrid', label: 'Hybrid', title: 'Words and meaning together' },
  { mode: 'text', label: 'Text', title: 'Exact words and identifiers' },
  { mode: 'vector', label: 'Vector', title: 'Meaning (embeddings)' },
]

/** The search view of the sidebar: query box, mode switch, index status, results grouped by file. */
export function SearchPanel(props: SearchPanelProps) {
  const [query, setQuery] = useState('')
  const [mode, setMode] = useState<SearchMode>('hybrid')
  const search = useSearch({
    projectId: props.projectId,
    query,
    mode,
    indexVersion: searchIndexVersion(props.status),
  })
  const input = useRef<HTMLInputElement>(null)
  const groups = useMemo(
    () => (search.results ? groupByFile(search.results.results, search.query) : null),
    [search.results, search.query],
  )

  useEffect(() => {
    if (props.focusRequest === 0) return
    input.current?.focus()
    input.current?.select()
  }, [props.focusRequest])

  return (
    <section className="search-section" aria-label="Search" hidden={!props.open}>
      <form
        className="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          search.searchNow()
        }}
      >
        <input
          ref={input}
          type="search"
          aria-label="Search code"
          placeholder="Search code"
          maxLength={1000}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </form>
      <div className="search-modes" role="radiogroup" aria-label="Search mode">
        {MODES.map((m) => (
          <button
            key={m.mode}
            type="button"
            role="radio"
            aria-checked={mode === m.mode}
            className={mode === m.mode ? 'small active' : 'ghost small'}
            title={m.title}
            onClick={() => setMode(m.mode)}
          >
            {m.label}
          </button>
        ))}
      </div>
      {/* One message when the whole service is down, not the same one twice. */}
      <IndexStatus
        status={props.status}
        error={props.statusError === search.error ? null : props.statusError}
      />
      {search.error && (
        <p className="form-error small" role="alert" data-testid="search-error">
          {search.error}
        </p>
      )}
      {search.loading && <p className="muted small">Searching…</p>}
      {groups && search.results && (
        <div data-testid="search-results" data-mode={search.results.mode}>
          <ResultList groups={groups} query={search.query} onOpenAt={props.onOpenAt} />
        </div>
      )}
    </section>
  )
}

function IndexStatus({ status, error }: { status: SearchStatus | null; error: string | null }) {
  if (error) return <p className="muted small search-status">Index status unavailable: {error}</p>
  if (!status) return null
  const text =
    status.pending > 0
      ? `Indexing… ${status.indexedFiles} of ${status.files} files indexed`
      : `${status.indexedFiles} files indexed${status.embeddingModel ? ` (${status.embeddingModel})` : ''}`
  return (
    <>
      <p className="muted small search-status" data-testid="search-index-status">
        {text}
      </p>
      {/* The database lacks pgvector: searches rank by text alone; say so and what to install. */}
      {status.textOnly && (
        <p className="muted small search-status" data-testid="search-text-only">
          Text search only: {status.textOnly}
        </p>
      )}
    </>
  )
}

function ResultList(props: {
  groups: FileGroup[]
  query: string
  onOpenAt: (fileId: string, line: number) => void
}) {
  const terms = useMemo(() => queryTerms(props.query), [props.query])
  const hits = props.groups.reduce((n, g) => n + g.hits.length, 0)
  if (hits === 0) return <p className="muted small">No results for “{props.query}”.</p>
  return (
    <div className="search-results">
      <p className="muted small">
        {hits} {hits === 1 ? 'result' : 'results'} in {props.groups.length}{' '}
        {props.groups.length === 1 ? 'file' : 'files'}
      </p>
      <ul>
        {props.groups.map((group) => (
          <li key={group.fileId} className="search-file">
            <div className="search-file-path" title={group.path}>
              {group.path}
            </div>
            <ul>
              {group.hits.map(({ hit, lines, targetLine }) => (
                <li key={`${hit.startLine}-${hit.endLine}`}>
                  <button
                    type="button"
                    className="search-hit"
                    data-path={group.path}
                    data-line={targetLine}
                    title={`${group.path}:${targetLine}`}
                    onClick={() => props.onOpenAt(group.fileId, targetLine)}
                  >
                    {lines.map((l) => (
                      <span key={l.line} className="search-line">
                        <span className="search-line-no">{l.line}</span>
                        <code>
                          {highlight(l.text, terms).map((s, i) =>
                            s.match ? <mark key={i}>{s.text}</mark> : s.text,
                          )}
                        </code>
                      </span>
                    ))}
                  </button>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  )
}
