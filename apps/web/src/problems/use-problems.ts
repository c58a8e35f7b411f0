import { useEffect, useState } from 'react'
import { pathOfUri } from '../editor/model-uri'
import { monaco } from '../editor/monaco-setup'

export interface Problem {
  path: string
  /** 1-based. */
  line: number
  message: string
  severity: 'error' | 'warning'
}

export interface Problems {
  errors: number
  warnings: number
  list: Problem[]
}

/** Listed at most; the counts stay exact. */
const MAX_LISTED = 500
const { MarkerSeverity } = monaco

/** The errors and warnings of every project model (`file:///` URIs: open files and the TypeScript worker's). */
export function readProblems(): Problems {
  const list: Problem[] = []
  let errors = 0
  let warnings = 0
  for (const m of monaco.editor.getModelMarkers({})) {
    const path = pathOfUri(m.resource)
    if (!path) continue
    const severity =
      m.severity === MarkerSeverity.Error ? 'error' : m.severity === MarkerSeverity.Warning ? 'warning' : null
    if (!severity) continue
    if (severity === 'error') errors++
    else warnings++
    if (list.length < MAX_LISTED) list.push({ path, line: m.startLineNumber, message: m.message, severity })
  }
  list.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line)
  return { errors, warnings, list }
}

/** Problems, read again whenever Monaco's markers change. */
export function useProblems(): Problems {
  const [problems, setProblems] = useState<Problems>(readProblems)
  useEffect(() => {
    const sub = monaco.editor.onDidChangeMarkers(() => setProblems(readProblems()))
    setProblems(readProblems())
    return () => sub.dispose()
  }, [])
  return problems
}
