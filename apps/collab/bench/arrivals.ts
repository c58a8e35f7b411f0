import * as Y from 'yjs'
import type { BenchClient } from './workspace'

/**
 * Matches each keystroke with its arrival at another client, with no marker in the text: a one-character
 * insert is exactly one Yjs item whose id is (sender clientID, sender clock before the insert), and a
 * receiving doc's transaction says which clocks of which senders it integrated (`beforeState` ->
 * `afterState`). Each sender has one designated watcher on its document (the first other client there), so
 * every keystroke yields one sample. Both ends live in this process: one `performance.now()` clock.
 *
 * A keystroke that arrives before one it depends on is held by Yjs as pending and only counted when it is
 * integrated, which is also when the receiving editor would show it.
 */
export class ArrivalTracker<C extends BenchClient = BenchClient> {
  /** Latencies in ms, in arrival order. */
  readonly samples: number[] = []
  /** When each sampled keystroke was sent (`performance.now()`), parallel to `samples`. */
  readonly sentAt: number[] = []
  private readonly pending = new Map<number, Map<number, number>>()
  private readonly watcherOf = new Map<number, Y.Doc>()
  private readonly detach: (() => void)[] = []
  private waiting = 0
  private onDrained: (() => void) | undefined

  /**
   * `warmupEnd`: keystrokes sent before this `performance.now()` are matched but not sampled. `pickWatcher`
   * chooses a sender's watcher among the other clients on its document (default: the first), e.g. one
   * connected to another node so that every sample crosses nodes.
   */
  constructor(
    clients: readonly C[],
    private readonly warmupEnd: number,
    pickWatcher: (sender: C, others: C[]) => C | undefined = (_, o) => o[0],
  ) {
    for (const sender of clients) {
      const watcher = pickWatcher(
        sender,
        clients.filter((c) => c.file === sender.file && c !== sender),
      )
      if (!watcher) throw new Error('every document needs a second client to observe it')
      this.watcherOf.set(sender.peer.doc.clientID, watcher.peer.doc)
      this.pending.set(sender.peer.doc.clientID, new Map())
    }
    for (const doc of new Set(this.watcherOf.values())) this.watch(doc)
  }

  /** Records that `doc` is about to insert one character; call right before the insert. */
  sent(doc: Y.Doc): void {
    this.pending.get(doc.clientID)?.set(Y.getState(doc.store, doc.clientID), performance.now())
    this.waiting += 1
  }

  /** Keystrokes sent that no watcher has seen yet. */
  get outstanding(): number {
    return this.waiting
  }

  /** Resolves once every keystroke sent so far has arrived. */
  drained(): Promise<void> {
    if (this.waiting === 0) return Promise.resolve()
    return new Promise((resolve) => (this.onDrained = resolve))
  }

  stop(): void {
    for (const off of this.detach.splice(0)) off()
  }

  private watch(doc: Y.Doc): void {
    const handler = (tr: Y.Transaction) => {
      if (tr.local) return
      const now = performance.now()
      for (const [clientID, after] of tr.afterState) {
        if (this.watcherOf.get(clientID) !== doc) continue
        this.arrived(clientID, tr.beforeState.get(clientID) ?? 0, after, now)
      }
    }
    doc.on('afterTransaction', handler)
    this.detach.push(() => doc.off('afterTransaction', handler))
  }

  private arrived(clientID: number, from: number, to: number, now: number): void {
    const sentAt = this.pending.get(clientID)
    for (let clock = from; clock < to; clock++) {
      const t0 = sentAt?.get(clock)
      if (t0 === undefined) continue
      sentAt?.delete(clock)
      this.waiting -= 1
      if (t0 < this.warmupEnd) continue
      this.samples.push(now - t0)
      this.sentAt.push(t0)
    }
    if (this.waiting === 0) this.onDrained?.()
  }
}
