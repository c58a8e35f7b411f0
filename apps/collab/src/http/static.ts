import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
}

/**
 * Serves the built web app from `root`. Unknown paths without an extension get `index.html` (client-side
 * routes); a path can never leave `root`. The security headers (CSP, framing) are set by the router for every
 * answer (`security-headers.ts`).
 */
export function createStaticHandler(root: string) {
  const base = normalize(root + sep)
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400).end('bad path')
      return
    }
    const candidate = normalize(join(base, pathname))
    const file = candidate.startsWith(base) ? await fileAt(candidate) : null
    const target = file ?? (extname(pathname) === '' ? await fileAt(join(base, 'index.html')) : null)
    if (!target) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const immutable = target.includes(`${sep}assets${sep}`)
    res.writeHead(200, {
      'content-type': types[extname(target)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    })
    if (req.method === 'HEAD') res.end()
    // A file can vanish or turn unreadable between stat and open (a deploy): end this response, not the process.
    else
      createReadStream(target)
        .on('error', () => res.destroy())
        .pipe(res)
  }
}

async function fileAt(path: string): Promise<string | null> {
  try {
    const s = await stat(path)
    if (s.isFile()) return path
    if (s.isDirectory()) return fileAt(join(path, 'index.html'))
    return null
  } catch {
    return null
  }
}
