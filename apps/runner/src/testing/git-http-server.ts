import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

/**
 * A git smart-HTTP server on loopback for the remote tests: Node's http server running `git http-backend` as a
 * CGI, as a forge's git endpoint does, with basic authentication against one username and token. Repositories
 * are bare, in a temporary folder; `commitTo` changes one as someone else pushing to it would.
 */
export interface GitHttpServer {
  /** `http://127.0.0.1:<port>/<name>.git`. */
  url(name: string): string
  /** Creates a bare repository, with a first commit of `files` on `main` when given. */
  createRepo(name: string, files?: Record<string, string>): Promise<void>
  /** Commits `files` on `branch` of the repository (another person's push); returns the new commit. */
  commitTo(name: string, files: Record<string, string>, message: string, branch?: string): Promise<string>
  /** `git log --format=%s` of a branch in the repository. */
  subjects(name: string, branch?: string): Promise<string[]>
  /** A file's text at a branch of the repository. */
  show(name: string, path: string, branch?: string): Promise<string>
  /** Every request's `Authorization` header and path, in order (what reached the server). */
  requests: { path: string; authorization: string | undefined }[]
  /** Stops the server and removes its repositories. */
  close(): Promise<void>
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Remote Person',
  GIT_AUTHOR_EMAIL: 'remote@example.invalid',
  GIT_COMMITTER_NAME: 'Remote Person',
  GIT_COMMITTER_EMAIL: 'remote@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
}

export async function newGitHttpServer(auth: { username: string; token: string }): Promise<GitHttpServer> {
  const root = await mkdtemp(join(tmpdir(), 'mimi-git-remote-'))
  const requests: GitHttpServer['requests'] = []
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.token}`).toString('base64')}`

  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization })
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('Unauthorized')
      return
    }
    cgi(root, req, res, auth.username)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  // Asynchronous: the collab server under test runs in this process and must keep answering meanwhile.
  const git = (args: string[], cwd = root) =>
    promisify(execFile)('git', args, { cwd, env: { ...process.env, ...IDENTITY } }).then((r) => r.stdout)
  const bare = (name: string) => join(root, `${name}.git`)

  const commitTo: GitHttpServer['commitTo'] = async (name, files, message, branch = 'main') => {
    const work = join(root, `work-${Math.random().toString(36).slice(2)}`)
    await git(['clone', '--quiet', bare(name), work])
    const has = (await git(['ls-remote', '--heads', 'origin', branch], work)).trim() !== ''
    await git(has ? ['checkout', '--quiet', branch] : ['checkout', '--quiet', '--orphan', branch], work)
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(work, path, '..'), { recursive: true })
      await writeFile(join(work, path), text)
    }
    await git(['add', '--all'], work)
    await git(['commit', '--quiet', '-m', message], work)
    await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], work)
    return (await git(['rev-parse', 'HEAD'], work)).trim()
  }

  return {
    url: (name) => `http://127.0.0.1:${port}/${name}.git`,
    createRepo: async (name, files) => {
      await git(['init', '--quiet', '--bare', '--initial-branch=main', bare(name)])
      await git(['config', 'http.receivepack', 'true'], bare(name))
      if (files) await commitTo(name, files, 'First commit')
    },
    commitTo,
    subjects: async (name, branch = 'main') =>
      (await git(['log', '--format=%s', branch], bare(name))).split('\n').filter(Boolean),
    show: (name, path, branch = 'main') => git(['show', `${branch}:${path}`], bare(name)),
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(root, { recursive: true, force: true })
    },
  }
}

/** Runs `git http-backend` for one request (RFC 3875 CGI) and relays its answer. */
function cgi(root: string, req: IncomingMessage, res: ServerResponse, user: string): void {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: '127.0.0.1',
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    },
  })
  req.pipe(child.stdin)
  let head = Buffer.alloc(0)
  let body = false
  child.stdout.on('data', (chunk: Buffer) => {
    if (body) return void res.write(chunk)
    head = Buffer.concat([head, chunk])
    const end = head.indexOf('\r\n\r\n')
    if (end < 0) return
    body = true
    let status = 200
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).trim()
      const value = line.slice(colon + 1).trim()
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0])
      else res.setHeader(name, value)
    }
    res.writeHead(status)
    res.write(head.subarray(end + 4))
  })
  child.on('close', () => {
    if (!body) res.writeHead(500)
    res.end()
  })
}
