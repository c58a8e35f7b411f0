import { runScriptSchema } from '@mimiverse/shared/terminal-protocol'

/**
 * The scripts of a package.json text that the Run menu can offer: names the server accepts, in file order.
 * A file that is not JSON, or has no `scripts` object, has none.
 */
export function runScripts(packageJson: string): { name: string; command: string }[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(packageJson)
  } catch {
    return []
  }
  const scripts = (parsed as { scripts?: unknown } | null)?.scripts
  if (!scripts || typeof scripts !== 'object') return []
  return Object.entries(scripts as Record<string, unknown>)
    .filter(([name, command]) => typeof command === 'string' && runScriptSchema.safeParse(name).success)
    .map(([name, command]) => ({ name, command: command as string }))
}
