import type { Problem } from './use-problems'

export interface ProblemsPanelProps {
  problems: Problem[]
  /** Why some project files are left out (over a bound), or null. */
  limit: string | null
  onOpen: (problem: Problem) => void
  onClose: () => void
}

/** The project's errors and warnings (file, line, message); choosing one opens its file at its line. */
export function ProblemsPanel({ problems, limit, onOpen, onClose }: ProblemsPanelProps) {
  return (
    <section className="problems-panel" aria-label="Problems" data-testid="problems-panel">
      <header>
        <strong>Problems</strong>
        <button className="ghost icon" aria-label="Close problems" onClick={onClose}>
          ×
        </button>
      </header>
      {limit && <p className="muted">{limit}.</p>}
      {problems.length === 0 ? (
        <p className="muted">No problems in the project&apos;s TypeScript and JavaScript files.</p>
      ) : (
        <ul>
          {problems.map((p, i) => (
            <li key={`${p.path}:${p.line}:${i}`}>
              <button className="ghost" onClick={() => onOpen(p)}>
                <span className={`problem-${p.severity}`}>{p.severity === 'error' ? '⨯' : '⚠'}</span>
                <span className="problem-file">
                  {p.path}:{p.line}
                </span>
                <span className="problem-message">{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
