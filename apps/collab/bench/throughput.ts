import { phaseLength } from './pacing'
import { withTimeout } from './wait'
import type { BenchClient } from './workspace'

/**
 * Phase 2, throughput: every client types as fast as acknowledgements allow, keeping `inFlight` one-character
 * updates unacknowledged at all times (a client gets a SyncStatus per update once the server has committed it
 * to the log and applied it). The rate of acknowledgements across all clients is the server's applied
 * updates per second with durability on.
 *
 * Acknowledgements are counted as `sent - unsyncedChanges`: the provider adds one per update it sends and
 * takes one away per SyncStatus; the phase starts with every client at zero.
 */
export interface ThroughputOptions {
  seconds: number
  inFlight: number
}

export interface ThroughputResult {
  acknowledged: number
  seconds: number
  updatesPerSecond: number
}

export async function measureThroughput(
  clients: readonly BenchClient[],
  opts: ThroughputOptions,
): Promise<ThroughputResult> {
  await withTimeout(
    Promise.all(clients.map((c) => c.peer.acknowledged())),
    15_000,
    'clients to be acknowledged',
  )
  const started = performance.now()
  const pumps = clients.map((c) => startPump(c, opts.inFlight))
  await phaseLength(opts.seconds)
  const seconds = (performance.now() - started) / 1000
  const acknowledged = pumps.reduce((sum, pump) => sum + pump.stop(), 0)
  return { acknowledged, seconds, updatesPerSecond: acknowledged / seconds }
}

/** Keeps `inFlight` updates outstanding; `stop()` ends typing and returns how many were acknowledged. */
function startPump({ peer }: BenchClient, inFlight: number): { stop(): number } {
  const { provider, text } = peer
  let sent = 0
  let running = true
  let filling = false
  const fill = () => {
    // Each insert emits `unsyncedChanges` again, synchronously; only the outermost call loops.
    if (filling || !running) return
    filling = true
    while (running && provider.unsyncedChanges < inFlight) {
      text.insert(text.length, String.fromCharCode(97 + (sent++ % 26)))
    }
    filling = false
  }
  provider.on('unsyncedChanges', fill)
  fill()
  return {
    stop: () => {
      running = false
      provider.off('unsyncedChanges', fill)
      return sent - provider.unsyncedChanges
    },
  }
}
