import { readFile } from 'node:fs/promises'

/**
 * Time a process's main thread spent running and waiting for a core, from /proc/<pid>/task/<pid>/schedstat
 * (Linux; nanoseconds). The main thread is the one that matters: it runs the event loop and, in the server,
 * PGlite's WebAssembly too. A large wait during a phase means the machine was busy (other processes, or the
 * bench and the server fighting over two cores), which inflates latency tails without any fault of the server.
 */
export interface CpuTime {
  runMs: number
  waitMs: number
}

export async function readCpuTime(pid: number): Promise<CpuTime> {
  const text = await readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
  const [run, wait] = text.trim().split(/\s+/).map(Number)
  return { runMs: (run ?? 0) / 1e6, waitMs: (wait ?? 0) / 1e6 }
}

/** CPU time used between two readings. */
export function cpuTimeSince(start: CpuTime, end: CpuTime): CpuTime {
  return { runMs: end.runMs - start.runMs, waitMs: end.waitMs - start.waitMs }
}

/** Main-thread CPU of the server and of the bench clients (this process) over one phase. */
export interface PhaseCpu {
  server: CpuTime
  bench: CpuTime
}

export async function withCpu<T>(serverPid: number, phase: () => Promise<T>): Promise<[T, PhaseCpu]> {
  const read = () => Promise.all([readCpuTime(serverPid), readCpuTime(process.pid)])
  const [server0, bench0] = await read()
  const result = await phase()
  const [server1, bench1] = await read()
  return [result, { server: cpuTimeSince(server0, server1), bench: cpuTimeSince(bench0, bench1) }]
}

/** e.g. "server ran 2.3 s and waited 1.1 s for a core, bench clients ran 1 s and waited 0.8 s". */
export function describeCpu({ server, bench }: PhaseCpu): string {
  const s = (ms: number) => `${Math.round(ms / 10) / 100} s`
  return (
    `server ran ${s(server.runMs)} and waited ${s(server.waitMs)} for a core, ` +
    `bench clients ran ${s(bench.runMs)} and waited ${s(bench.waitMs)}`
  )
}
