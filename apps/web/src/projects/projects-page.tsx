import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { api, type ProjectSummary } from '../api/trpc'
import { problemMessage } from '../api/errors'
import { Link } from '../routing/link'
import { navigate } from '../routing/use-route'
import { paths } from '../routing/routes'
import { TopBar } from '../ui/top-bar'

/** The signed-in user's projects, and a form to start a new one. */
export function ProjectsPage() {
  const [projects, setProjects] = useState<ProjectSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [name, setName] = useState('')

  const load = useCallback(() => {
    api.projects.list
      .query()
      .then((list) => {
        setProjects(list)
        setError(null)
      })
      .catch((e: unknown) => setError(problemMessage(e)))
  }, [])
  useEffect(load, [load])

  const create = async (e: FormEvent) => {
    e.preventDefault()
    try {
      const project = await api.projects.create.mutate({ name })
      navigate(paths.project(project.id))
    } catch (err: unknown) {
      setError(problemMessage(err))
    }
  }

  return (
    <div className="page">
      <TopBar />
      <main className="projects">
        <h1>Projects</h1>
        <form className="inline-form" onSubmit={(e) => void create(e)}>
          <input
            aria-label="New project name"
            placeholder="New project name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
          <button className="primary" type="submit">
            Create project
          </button>
        </form>
        {error && (
          <p className="form-error" role="alert">
            {error} <button onClick={load}>Retry</button>
          </p>
        )}
        {projects === null && !error && <p className="muted">Loading…</p>}
        {projects?.length === 0 && (
          <p className="muted">No projects yet. Create one, or open an invite link.</p>
        )}
        <ul className="project-list">
          {projects?.map((p) => (
            <li key={p.id}>
              <Link href={paths.project(p.id)}>
                <span className="project-name">{p.name}</span>
                <span className={`role-badge role-${p.role}`}>{p.role}</span>
              </Link>
            </li>
          ))}
        </ul>
      </main>
    </div>
  )
}
