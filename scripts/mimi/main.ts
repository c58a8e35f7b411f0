/**
 * `npm run mimi -- <command>`: the Mimiverse command line (import a folder into a project, export a project
 * into a folder). See `mimi help` and README "Command line".
 */
import { runCli } from './cli'

const stderr = process.stderr
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: { write: (text) => process.stdout.write(text) },
  stderr: { write: (text) => stderr.write(text), isTTY: stderr.isTTY, columns: stderr.columns },
})
