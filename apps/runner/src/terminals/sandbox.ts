import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstatSync, readlinkSync } from 'node:fs'
import { chown, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The sandbox every terminal command runs in: bubblewrap (`bwrap`) in fresh mount, pid, network, ipc, uts and
 * cgroup namespaces, as an unprivileged host uid of the project's own, with resource limits.
 *
 * The launch chain, all by `execve` so the PTY's child stays one process until bwrap forks the sandbox:
 *
 *   bash (root: closes inherited descriptors, writes /etc/passwd, group and hosts to fds 4-6)
 *   -> nice -n 10 -> prlimit (limits) -> bwrap (root: builds the sandbox, binds the tree at /workspace)
 *   -> setpriv (inside: the project's host uid, no groups, no capabilities, no_new_privs) -> the command
 *
 * bwrap runs as root (not in a user namespace) so that it can bind a tree below DATA_DIR and WORKSPACES_DIR, both
 * mode 0700, and so that the command's host uid is the project's own: RLIMIT_NPROC counts processes per host uid
 * (and never limits root), so a fork bomb stops at the project's limit. setpriv sets no_new_privs and empties the
 * capability bounding set, so no setuid binary of the image gives root back. Nothing outside the sandbox reads
 * from the PTY once bwrap runs, so the shell keeps it as its controlling terminal (Ctrl+C and job control work)
 * and `--new-session` is not used: a TIOCSTI injection could only reach the sandbox's own shell.
 */

/** The fixed path of the project's working tree inside the sandbox, and the command's working directory. */
export const SANDBOX_WORKSPACE = '/workspace'
const SANDBOX_HOME = '/home/mimi'

/** Host uids a project may map to: `base + hash mod UID_SPAN` (two projects sharing one share a process budget). */
const UID_SPAN = 1 << 20

export interface SandboxLimits {
  /** Processes of the project's host uid at once (RLIMIT_NPROC). */
  processes: number
  /** Address space per process, bytes (RLIMIT_AS). */
  memoryBytes: number
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuSeconds: number
  /** Largest file written, bytes (RLIMIT_FSIZE). */
  fileBytes: number
  /** Size of /tmp and of the home folder (tmpfs each), bytes. */
  tmpBytes: number
}

export interface SandboxConfig {
  /** The bwrap binary. */
  bwrap: string
  /** `--share-net`: the sandbox sees the host's network. */
  network: boolean
  limits: SandboxLimits
  /** First host uid of the sandboxes. */
  uidBase: number
}

export interface SandboxCommand {
  /** Host working tree (bound read-write at /workspace), owned by `uid`. */
  tree: string
  /** Host uid (and gid) the sandbox runs as. */
  uid: number
  /** argv inside the sandbox, e.g. `['/bin/bash', '-i']`. */
  argv: string[]
}

/** The host uid a project's commands run as. Stable across restarts, so files they wrote stay theirs. */
export function sandboxUid(projectId: string, uidBase: number): number {
  return uidBase + (createHash('sha256').update(projectId).digest().readUInt32BE(0) % UID_SPAN)
}

/**
 * The files inside the sandbox that replace the host's: no host account or host name is visible. `$uid` is the
 * project's host uid, expanded by the launcher.
 */
const PASSWD = `root:x:0:0:root:/root:/usr/sbin/nologin
mimi:x:$uid:$uid:Mimiverse:${SANDBOX_HOME}:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin`
const GROUP = `root:x:0:
mimi:x:$uid:
nogroup:x:65534:`
const HOSTS = `127.0.0.1 localhost mimiverse
::1 localhost ip6-localhost ip6-loopback`

/**
 * The launcher (bash): closes every descriptor the server's process inherited from its own parent (Node opens
 * its own close-on-exec), puts the synthetic /etc files on fds 4-6, then execs the rest of its arguments.
 * Everything variable arrives as an argument (`$1` is the uid), never inside the script text.
 */
const LAUNCHER = `uid=$1; shift
for fd in /proc/self/fd/*; do fd=\${fd##*/}; if [ "$fd" -gt 2 ]; then exec {fd}>&-; fi; done
exec 4<<PASSWD 5<<GROUP 6<<HOSTS || exit 126
${PASSWD}
PASSWD
${GROUP}
GROUP
${HOSTS}
HOSTS
exec "$@"`

/**
 * Host /etc entries a shell, compilers and TLS clients need; each read-only and only when present. Not the rest
 * of /etc: it may hold credentials (npmrc, gitconfig credential helpers, ssh keys) and names the host's users.
 */
const ETC_ENTRIES = [
  'alternatives',
  'ssl',
  'ca-certificates',
  'ca-certificates.conf',
  'localtime',
  'timezone',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'nsswitch.conf',
  'inputrc',
  'terminfo',
  'mime.types',
  'protocols',
  'services',
]

/** Top-level system folders: a symlink on merged-/usr systems (kept as a symlink), else bound read-only. */
const ROOT_ENTRIES = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']

function rootLayout(): string[] {
  const args = ['--ro-bind', '/usr', '/usr']
  for (const name of ROOT_ENTRIES) {
    const path = `/${name}`
    try {
      const stat = lstatSync(path)
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path)
      else if (stat.isDirectory()) args.push('--ro-bind', path, path)
    } catch {
      // Absent on this system.
    }
  }
  for (const name of ETC_ENTRIES) args.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`)
  return args
}

const ENVIRONMENT: Record<string, string> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: SANDBOX_HOME,
  USER: 'mimi',
  LOGNAME: 'mimi',
  SHELL: '/bin/bash',
  TERM: 'xterm-256color',
  COLORTERM: 'truecolor',
  LANG: 'C.UTF-8',
  PS1: '\\[\\e[32m\\]\\u@\\h\\[\\e[0m\\]:\\[\\e[34m\\]\\w\\[\\e[0m\\]\\$ ',
}

/** The bwrap arguments up to the command. */
function bwrapArgs(config: SandboxConfig, tree: string): string[] {
  const { limits } = config
  const args = [
    '--unshare-ipc',
    '--unshare-pid',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--die-with-parent',
  ]
  if (config.network) args.push('--ro-bind-try', '/etc/resolv.conf', '/etc/resolv.conf')
  else args.push('--unshare-net')
  args.push('--hostname', 'mimiverse')
  // Folders bwrap creates as root are 0700 unless told otherwise; the command's uid must read them.
  args.push('--perms', '0755', '--dir', '/etc', '--perms', '0755', '--dir', '/home')
  args.push(...rootLayout())
  for (const [fd, path] of [
    ['4', '/etc/passwd'],
    ['5', '/etc/group'],
    ['6', '/etc/hosts'],
  ] as const) {
    args.push('--perms', '0644', '--ro-bind-data', fd, path)
  }
  args.push('--proc', '/proc', '--dev', '/dev')
  args.push('--perms', '1777', '--size', String(limits.tmpBytes), '--tmpfs', '/tmp')
  // bwrap creates it as root: sticky and open to all, like /tmp, so the command's uid can use it.
  args.push('--perms', '1777', '--size', String(limits.tmpBytes), '--tmpfs', SANDBOX_HOME)
  args.push('--bind', tree, SANDBOX_WORKSPACE, '--chdir', SANDBOX_WORKSPACE)
  args.push('--clearenv')
  for (const [name, value] of Object.entries(ENVIRONMENT)) args.push('--setenv', name, value)
  return args
}

/**
 * The program and arguments that run `command.argv` in the sandbox. Spawn it as root with an empty
 * environment (the launcher drops to `command.uid` itself); a PTY spawn gives the command a terminal.
 */
export function sandboxSpawnArgs(
  config: SandboxConfig,
  command: SandboxCommand,
): { file: string; args: string[] } {
  const { limits } = config
  const uid = String(command.uid)
  return {
    file: '/bin/bash',
    args: [
      // Without a PTY, Node gives the launcher socket pairs as stdin, and bash would then read root's ~/.bashrc
      // (it takes such a stdin for rshd's); --norc keeps it from doing so.
      '--norc',
      '-c',
      LAUNCHER,
      'mimi-sandbox',
      uid,
      'nice',
      '-n',
      '10',
      'prlimit',
      `--nproc=${limits.processes}`,
      `--as=${limits.memoryBytes}`,
      `--cpu=${limits.cpuSeconds}`,
      `--fsize=${limits.fileBytes}`,
      '--core=0',
      '--nofile=4096',
      '--',
      config.bwrap,
      ...bwrapArgs(config, command.tree),
      '--',
      'setpriv',
      `--reuid=${uid}`,
      `--regid=${uid}`,
      '--clear-groups',
      '--no-new-privs',
      '--bounding-set=-all',
      '--inh-caps=-all',
      '--',
      ...command.argv,
    ],
  }
}

/** The environment of the launcher itself (outside the sandbox): only where to find nice, prlimit, bwrap. */
export const LAUNCHER_ENV: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' }

export type SandboxProbe = { ok: true } | { ok: false; reason: string }

/**
 * Runs `true` in the sandbox once, as the runner will run terminals (a throwaway tree, the first sandbox uid).
 * Terminals are offered only when this works; the reason says what to install or allow otherwise.
 */
export async function probeSandbox(config: SandboxConfig): Promise<SandboxProbe> {
  if (process.platform !== 'linux') return { ok: false, reason: 'terminals need Linux (bubblewrap)' }
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      reason: 'terminals need the runner to run as root (each project runs as a uid of its own)',
    }
  }
  const tree = await mkdtemp(join(tmpdir(), 'mimi-probe-'))
  try {
    await chown(tree, config.uidBase, config.uidBase)
    const { file, args } = sandboxSpawnArgs(config, { tree, uid: config.uidBase, argv: ['/bin/true'] })
    await new Promise<void>((resolve, reject) => {
      execFile(file, args, { env: LAUNCHER_ENV, timeout: 10_000 }, (error, _stdout, stderr) => {
        if (error) reject(new Error(stderr.trim() || error.message))
        else resolve()
      })
    })
    return { ok: true }
  } catch (e: unknown) {
    const detail = e instanceof Error ? e.message : String(e)
    return {
      ok: false,
      reason:
        `the sandbox does not work (${detail.slice(0, 300)}): install bubblewrap, util-linux and coreutils ` +
        '(`apt-get install bubblewrap`); in a container, allow it to create namespaces (see apps/runner/README.md)',
    }
  } finally {
    await rm(tree, { recursive: true, force: true })
  }
}
