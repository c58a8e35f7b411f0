import { CliError, signIn, type Session } from './api'
import { parseCommand, USAGE, UsageError, type Credentials } from './args'
import { exportProject } from './export'
import { assertFolder, importFolder, type ImportSummary } from './import'
import type { Output } from './progress'

/** Exit codes: 0 done, 1 failed (or some files could not be imported), 2 bad command line. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const

export interface CliIo {
  env: Record<string, string | undefined>
  /** Summaries and results. */
  stdout: Output
  /** Progress, warnings and errors. */
  stderr: Output
}

/** Runs one `mimi` command and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv, io.env)
    switch (command.kind) {
      case 'help':
        io.stdout.write(`${USAGE}\n`)
        return ExitCode.Ok
      case 'import': {
        await assertFolder(command.dir)
        const summary = await withSession(command.credentials, (session) =>
          importFolder({ session, dir: command.dir, project: command.project, progress: io.stderr }),
        )
        io.stdout.write(formatImportSummary(command.project, summary))
        return summary.failed.length > 0 ? ExitCode.Failed : ExitCode.Ok
      }
      case 'export': {
        const { written } = await withSession(command.credentials, (session) =>
          exportProject({ session, project: command.project, dir: command.dir }),
        )
        io.stdout.write(`Exported ${written.length} files of "${command.project}" to ${command.dir}\n`)
        return ExitCode.Ok
      }
    }
  } catch (e: unknown) {
    if (e instanceof UsageError) {
      io.stderr.write(`mimi: ${e.message}\n\n${USAGE}\n`)
      return ExitCode.Usage
    }
    io.stderr.write(`mimi: ${e instanceof CliError ? e.message : String(e)}\n`)
    return ExitCode.Failed
  }
}

/** Signs in, runs `work`, and signs out again whatever happened (the session would otherwise live 30 days). */
async function withSession<T>(credentials: Credentials, work: (session: Session) => Promise<T>): Promise<T> {
  const session = await signIn(credentials)
  try {
    return await work(session)
  } catch (e: unknown) {
    throw e instanceof CliError ? e : new CliError(session.describe(e))
  } finally {
    await session.signOut().catch(() => undefined)
  }
}

export function formatImportSummary(project: string, s: ImportSummary): string {
  const lines = [
    ...(s.projectCreated ? [`Created the project "${project}"`] : []),
    `Imported into "${project}": ${s.created.length} created, ${s.updated.length} updated, ` +
      `${s.unchanged.length} unchanged, ${s.skipped.length} skipped, ${s.failed.length} failed`,
    ...s.updated.map((path) => `  updated  ${path}`),
    ...s.skipped.map(({ path, reason }) => `  skipped  ${path}: ${reason}`),
    ...s.failed.map(({ path, reason }) => `  FAILED   ${path}: ${reason}`),
  ]
  if (s.remoteOnly.length > 0) {
    lines.push(`  ${s.remoteOnly.length} files in the project are not in the folder (left alone)`)
  }
  lines.push(
    s.history.kind === 'imported'
      ? `History: ${s.history.commits} commits of ${s.history.branch} are the workspace's git history`
      : `History: not imported (${s.history.reason})`,
  )
  return `${lines.join('\n')}\n`
}
