import { and, eq, inArray, ne, or, sql } from 'drizzle-orm'
import type { Db } from '../client'
import { files, projects } from '../schema/index'
import { AppError, ErrorCode } from '@mimiverse/shared'

/**
 * Whether a new or renamed file's path fits among a project's files. Folders are not stored: they are the
 * leading segments of file paths, so `src/a.ts` makes the folder `src`.
 */

/** Every folder a path lies in: `a/b/c.ts` -> `a`, `a/b`. */
function ancestors(path: string): string[] {
  const parts = path.split('/')
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'))
}

/**
 * Serializes creates and renames within one project until the transaction ends, so two of them can't both
 * pass the checks below and store twins (the unique index covers only exact duplicates).
 */
async function lockProject(tx: Db, projectId: string): Promise<void> {
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for('update')
}

/** Refuses a path taken by another file, a folder of one, or lying inside a file. */
async function assertNoExactClash(tx: Db, projectId: string, path: string, exceptId?: string) {
  const clash = or(
    eq(files.path, path),
    sql`starts_with(${files.path}, ${`${path}/`})`,
    ...(ancestors(path).length > 0 ? [inArray(files.path, ancestors(path))] : []),
  )
  const [row] = await tx
    .select({ path: files.path })
    .from(files)
    .where(and(eq(files.projectId, projectId), clash, exceptId ? ne(files.id, exceptId) : undefined))
    .limit(1)
  if (!row) return
  if (row.path === path) throw new AppError(ErrorCode.Conflict, `A file named "${path}" already exists`)
  throw new AppError(ErrorCode.Conflict, `"${path}" clashes with the existing file "${row.path}"`)
}

/**
 * Refuses a path whose file or one of whose folders differs only in case from an existing file or folder
 * (`Readme.md` beside `README.md`, `SRC/x.ts` beside `src/y.ts`): macOS and Windows file systems, and the tools
 * on them, would merge the two on export or checkout.
 *
 * Case is compared on `files.path_folded` (see the schema): lowercased the same way on every server. For each
 * name on the path, shallowest first, one index look-up finds a file at or under that name in any case. If
 * there is none, nothing deeper can clash either; if its spelling differs, that is the twin; if it is spelled
 * the same, the next name is looked at. One file per name is enough because no twins are ever stored (this
 * check runs under the project's lock): a project holding twins from before only has its clash found by luck.
 */
async function assertNoCaseTwin(tx: Db, projectId: string, path: string, exceptId?: string) {
  const names = [...ancestors(path), path]
  // Folded as the column is (`mimi_fold_path`), and compared in the index's order (code points, `collate "C"`),
  // whatever the database's default collation.
  const folded = sql`mimi_fold_path(names.name) collate "C"`
  const others = sql`${files.projectId} = ${projectId} ${exceptId ? sql`and ${files.id} <> ${exceptId}` : sql``}`
  // Two look-ups per name, each one index range: a file with that name, and a file under a folder with it.
  const result = await tx.execute<{ depth: number; path: string }>(sql`
    select names.depth::int as depth, found.path
    from unnest(${sql.param(names)}::text[]) with ordinality as names(name, depth)
    cross join lateral (
      (select ${files.path} from ${files} where ${others} and ${files.pathFolded} = ${folded} limit 1)
      union all
      (select ${files.path} from ${files} where ${others}
        and ${files.pathFolded} >= ${folded} || '/' and ${files.pathFolded} < ${folded} || '0' limit 1)
      limit 1
    ) as found`)
  const rows = (result as { rows: { depth: number; path: string }[] }).rows
  const found = new Map(rows.map((r) => [r.depth, r.path]))
  for (const [i, name] of names.entries()) {
    const existingPath = found.get(i + 1)
    if (existingPath === undefined) return
    const existing = existingPath
      .split('/')
      .slice(0, i + 1)
      .join('/')
    if (existing === name) continue
    const kind = existing === existingPath ? 'file' : 'folder'
    throw new AppError(
      ErrorCode.Conflict,
      `"${name}" differs only in case from the existing ${kind} "${existing}"; ` +
        'case-insensitive file systems (macOS, Windows) would merge them',
    )
  }
}

/** A path to check; `exceptId` is the file being renamed, left out of the comparison. */
export interface PathToCheck {
  projectId: string
  path: string
  exceptId?: string
}

/** Checks, inside the transaction that will store it, that `path` may be given to a file of the project. */
export async function assertPathFree(tx: Db, { projectId, path, exceptId }: PathToCheck): Promise<void> {
  await lockProject(tx, projectId)
  await assertNoExactClash(tx, projectId, path, exceptId)
  await assertNoCaseTwin(tx, projectId, path, exceptId)
}
