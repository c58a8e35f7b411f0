import { fileURLToPath } from 'node:url'
import type { Cleanup } from './cleanup'
import { spawnChild, type Child } from './child-process'
import type { HostReply, HostRequest } from './load-protocol'
import { withTimeout } from './wait'

/**
 * The driver's side of the user hosts: child processes that hold the simulated users, so that hundreds of
 * providers and Y.Docs do not share the driver's event loop (one loop processing every arrival becomes the
 * bottleneck, and its delay would be counted as the server's latency).
 */
export interface UserHost {
  pid: number
  request<T extends HostReply['type']>(
    req: DistributiveOmit<HostRequest, 'id'>,
    expect: T,
    timeoutMs?: number,
  ): Promise<Extract<HostReply, { type: T }>>
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

const HOST = fileURLToPath(new URL('./load-host.ts', import.meta.url))

export async function startUserHosts(
  count: number,
  cleanup: Cleanup,
  nodeArgs: string[] = [],
): Promise<UserHost[]> {
  const children = await Promise.all(
    Array.from({ length: count }, () =>
      spawnChild({ entry: HOST, env: {}, ready: /load host ready/, ipc: true, nodeArgs }),
    ),
  )
  return children.map((child) => {
    const host = hostClient(child)
    cleanup.add(`stop user host ${child.pid}`, () => stopHost(child, host))
    return host
  })
}

function hostClient(child: Child): UserHost {
  const waiting = new Map<number, (reply: HostReply) => void>()
  child.handle.on('message', (reply: HostReply) => waiting.get(reply.id)?.(reply))
  let nextId = 0
  return {
    pid: child.pid,
    request: async <T extends HostReply['type']>(
      req: DistributiveOmit<HostRequest, 'id'>,
      expect: T,
      timeoutMs = 120_000,
    ) => {
      const id = ++nextId
      const replied = new Promise<HostReply>((resolve) => waiting.set(id, resolve))
      child.handle.send({ ...req, id })
      try {
        const reply = await withTimeout(replied, timeoutMs, `user host ${child.pid} to ${req.type}`)
        if (reply.type === 'failed') throw new Error(`user host ${child.pid}: ${reply.error}`)
        if (reply.type !== expect)
          throw new Error(`user host ${child.pid} replied ${reply.type} to ${req.type}`)
        return reply as Extract<HostReply, { type: T }>
      } finally {
        waiting.delete(id)
      }
    },
  }
}

/** Closes the users' sockets first (a clean close, as a browser tab leaving), then stops the process. */
async function stopHost(child: Child, host: UserHost): Promise<void> {
  if (child.handle.connected) {
    await host.request({ type: 'stop' }, 'stopped', 10_000).catch(() => undefined)
  }
  await child.stop(5_000)
}
