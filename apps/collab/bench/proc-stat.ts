import { readFile } from 'node:fs/promises'
import { readCpuTime, type CpuTime } from './cpu-time'

/**
 * CPU use over a measured window, from Linux's /proc: per process (every thread: the event loop, PGlite's
 * WebAssembly on it, V8's GC and compiler threads, libuv's pool) and for the whole machine. The main thread's
 * schedstat is read too: its run time is the ceiling of a single-threaded Node server (one core), and its wait
 * for a core says whether the processes were fighting over the machine's cores rather than short of work.
 */
export interface ProcSnapshot {
  /** utime + stime of the whole process, in ms. */
  cpuMs: number
  main: CpuTime
}

export interface MachineSnapshot {
  busyMs: number
  totalMs: number
}

/** Clock ticks per second of /proc times (USER_HZ), 100 on every Linux the bench runs on. */
const TICK_MS = 10

export async function readProc(pid: number): Promise<ProcSnapshot> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
  // 14th and 15th fields of the line, so the 12th and 13th after ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return { cpuMs: ticks * TICK_MS, main: await readCpuTime(pid) }
}

export async function readMachine(): Promise<MachineSnapshot> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? ''
  const [, ...values] = line.trim().split(/\s+/)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    values.map(Number)
  const busy = user + nice + system + irq + softirq + steal
  return { busyMs: busy * TICK_MS, totalMs: (busy + idle + iowait) * TICK_MS }
}

/** Process CPU over a window of `wallMs`, in percent of one core (200% = both cores of a 2-core machine). */
export interface ProcUsage {
  cpuPercent: number
  mainRunPercent: number
  mainWaitPercent: number
}

export function usageBetween(a: ProcSnapshot, b: ProcSnapshot, wallMs: number): ProcUsage {
  const pct = (ms: number) => (100 * ms) / wallMs
  return {
    cpuPercent: pct(b.cpuMs - a.cpuMs),
    mainRunPercent: pct(b.main.runMs - a.main.runMs),
    mainWaitPercent: pct(b.main.waitMs - a.main.waitMs),
  }
}

/** The machine's busy share over a window, in percent of all its cores. */
export function machineBusyBetween(a: MachineSnapshot, b: MachineSnapshot): number {
  return (100 * (b.busyMs - a.busyMs)) / Math.max(1, b.totalMs - a.totalMs)
}
