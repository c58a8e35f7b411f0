import { asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db } from '@mimiverse/db'
import { memberships, projects, userSettings, users } from '@mimiverse/db/schema'
import {
  AppError,
  ErrorCode,
  Role,
  settingsFrom,
  type SettingsPatch,
  type UserSettings,
} from '@mimiverse/shared'
import type { AccessService } from './access'
import { assignColors } from './presence-colors'

/** Serializes colour picks, so two people cannot take the same free colour at once (any PostgreSQL key). */
const COLOR_LOCK = 0x6d696d69

export interface MemberColor {
  userId: string
  color: string
}

/** Per-user IDE settings, and the colours members of a project are shown in. */
export interface SettingsService {
  /** The user's settings; defaults for what they never set. */
  get(userId: string): Promise<UserSettings>
  /**
   * Applies `patch` (already validated) and returns the result. A `color` that another member of one of the
   * user's projects is shown in is refused with CONFLICT, naming who has it and where.
   */
  update(userId: string, patch: SettingsPatch): Promise<UserSettings>
  /** Every member's colour in the project, distinct within it (see `assignColors`); members only. */
  colors(userId: string, projectId: string): Promise<MemberColor[]>
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export function createSettingsService(db: Db, access: AccessService): SettingsService {
  const read = async (q: Db | Tx, userId: string) => {
    const [row] = await q
      .select({ settings: userSettings.settings })
      .from(userSettings)
      .where(eq(userSettings.userId, userId))
    return settingsFrom(row?.settings)
  }
  return {
    get: (userId) => read(db, userId),
    update: (userId, patch) =>
      db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${COLOR_LOCK})`)
        const current = await read(tx, userId)
        const next = { ...current, ...patch }
        if (next.color && next.color !== current.color) await requireFree(tx, userId, next.color)
        await tx
          .insert(userSettings)
          .values({ userId, settings: next })
          .onConflictDoUpdate({ target: userSettings.userId, set: { settings: next, updatedAt: new Date() } })
        return next
      }),
    async colors(userId, projectId) {
      await access.require(userId, projectId, Role.Reviewer)
      const rows = await membersOf(db, [projectId])
      return [...(colorsByProject(rows).get(projectId) ?? [])].map(([id, color]) => ({ userId: id, color }))
    },
  }
}

interface MemberRow {
  projectId: string
  projectName: string
  userId: string
  name: string
  settings: unknown
}

/** Members of the projects with their stored settings, in the order they joined each project. */
function membersOf(q: Db | Tx, projectIds: string[]): Promise<MemberRow[]> {
  if (projectIds.length === 0) return Promise.resolve([])
  return q
    .select({
      projectId: memberships.projectId,
      projectName: projects.name,
      userId: memberships.userId,
      name: users.name,
      settings: userSettings.settings,
    })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(userSettings, eq(userSettings.userId, memberships.userId))
    .where(inArray(memberships.projectId, projectIds))
    .orderBy(asc(memberships.projectId), asc(memberships.createdAt), asc(memberships.userId))
}

function colorsByProject(rows: MemberRow[]): Map<string, Map<string, string>> {
  const byProject = new Map<string, MemberRow[]>()
  for (const row of rows) byProject.set(row.projectId, [...(byProject.get(row.projectId) ?? []), row])
  const out = new Map<string, Map<string, string>>()
  for (const [projectId, members] of byProject)
    out.set(
      projectId,
      assignColors(members.map((m) => ({ userId: m.userId, preferred: settingsFrom(m.settings).color }))),
    )
  return out
}

/** Refuses `color` when another member of any of the user's projects is shown in it now. */
async function requireFree(tx: Tx, userId: string, color: string): Promise<void> {
  const mine = await tx
    .select({ projectId: memberships.projectId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
  const rows = await membersOf(
    tx,
    mine.map((m) => m.projectId),
  )
  const colors = colorsByProject(rows)
  const holder = rows.find((r) => r.userId !== userId && colors.get(r.projectId)?.get(r.userId) === color)
  if (holder)
    throw new AppError(
      ErrorCode.Conflict,
      `color: ${holder.name} is already shown in ${color} in ${holder.projectName}; pick another colour`,
    )
}
