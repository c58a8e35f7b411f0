import { chmod, lstat, mkdir, readdir, realpath } from 'node:fs/promises'
import { join } from 'node:path'

const FOLDER_MODE = 0o700
const FILE_MODE = 0o600

/**
 * Makes DATA_DIR private to the user running the server, at every start: the folder and each folder in it
 * 0700, each file 0600. It holds the secret and the embedded database, whose engine creates its files 0666 and
 * its folders 0755; a folder made by hand or by an older version may be open too. Files the database creates
 * while running keep the engine's modes until the next start, behind the 0700 folder. Symbolic links are
 * neither followed nor changed. Throws a message saying what to do when a mode cannot be set (a folder of
 * another user, a read-only file system): the server must not run on a data folder others can read.
 */
export async function secureDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: FOLDER_MODE }).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    })
    // DATA_DIR itself may be a link to the folder (links inside it are left alone).
    const folder = await realpath(dir)
    if (!(await lstat(folder)).isDirectory()) throw new Error('it is not a folder')
    await tighten(folder)
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.message : String(e)
    throw new Error(
      `DATA_DIR (${dir}) must be private to the user running Mimiverse (folders 0700, files 0600), and it ` +
        `could not be made so: ${reason}. Give it to this user (chown -R "$(id -un)" '${dir}') or set ` +
        'DATA_DIR to a folder this user owns.',
      { cause: e },
    )
  }
}

async function tighten(path: string): Promise<void> {
  const stats = await lstat(path)
  if (stats.isSymbolicLink()) return
  const mode = stats.isDirectory() ? FOLDER_MODE : FILE_MODE
  if ((stats.mode & 0o777) !== mode) await chmod(path, mode)
  if (stats.isDirectory()) {
    await Promise.all((await readdir(path)).map((name) => tighten(join(path, name))))
  }
}
