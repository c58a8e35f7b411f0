import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { MessageType, SyncType } from '../protocol/frame'
import { authFrame, probeFrame } from './fuzz-frames'

/** How a burst of frames ended: the server answered the probe after it, closed the socket, or said nothing. */
export type BurstOutcome = 'answered' | 'closed' | 'silent'

/** Auth message subtype the server sends when it accepts a document's token (@hocuspocus/common `auth.ts`). */
const AUTHENTICATED = 2

/**
 * A raw WebSocket client that authenticates like a provider and then sends whatever it is given: the fuzzer's
 * hands. After each burst it sends a SyncStep1 probe and waits for the server's SyncStep2 answer (or the close),
 * so the fuzzer moves at the server's pace instead of queueing frames a closed socket will never read.
 */
export class Attacker {
  private socket: WebSocket | null = null
  private waiters = new Set<(event: 'step2' | 'authenticated' | 'closed') => void>()
  /** Close codes the server chose, by code, for the run's summary. */
  readonly closeCodes = new Map<number, number>()

  constructor(
    private readonly url: string,
    private readonly docName: string,
    private readonly token: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** Opens a socket and authenticates; false when the server refused or did not answer. */
  async connect(): Promise<boolean> {
    this.socket?.terminate()
    const socket = new WebSocket(`${this.url.replace(/^http/, 'ws')}/collab`)
    this.socket = socket
    socket.binaryType = 'nodebuffer'
    socket.on('error', () => undefined)
    socket.on('message', (data: Buffer) => this.received(data))
    socket.on('close', (code) => {
      this.closeCodes.set(code, (this.closeCodes.get(code) ?? 0) + 1)
      if (this.socket === socket) this.notify('closed')
    })
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true))
      socket.once('close', () => resolve(false))
    })
    if (!opened) return false
    const answer = this.next()
    socket.send(authFrame(this.docName, this.token))
    return (await answer) === 'authenticated'
  }

  /** Sends the frames, then a probe; resolves with how the server reacted. */
  async burst(frames: Uint8Array[]): Promise<BurstOutcome> {
    const socket = this.socket
    if (!socket || socket.readyState !== WebSocket.OPEN) return 'closed'
    const answer = this.next()
    for (const frame of frames) socket.send(frame)
    socket.send(probeFrame(this.docName))
    const event = await answer
    return event === 'step2' ? 'answered' : event === 'closed' ? 'closed' : 'silent'
  }

  isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN
  }

  close(): void {
    this.socket?.terminate()
    this.socket = null
  }

  private next(): Promise<'step2' | 'authenticated' | 'closed' | 'timeout'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(done)
        resolve('timeout')
      }, this.timeoutMs)
      const done = (event: 'step2' | 'authenticated' | 'closed') => {
        clearTimeout(timer)
        this.waiters.delete(done)
        resolve(event)
      }
      this.waiters.add(done)
    })
  }

  private notify(event: 'step2' | 'authenticated' | 'closed'): void {
    for (const waiter of [...this.waiters]) waiter(event)
  }

  private received(data: Buffer): void {
    try {
      const d = decoding.createDecoder(new Uint8Array(data))
      if (decoding.readVarString(d) !== this.docName) return
      const type = decoding.readVarUint(d)
      const subtype = decoding.readVarUint(d)
      if (type === MessageType.Auth && subtype === AUTHENTICATED) this.notify('authenticated')
      if ((type === MessageType.Sync || type === MessageType.SyncReply) && subtype === SyncType.Step2) {
        this.notify('step2')
      }
    } catch {
      // Frames we do not need to understand (awareness, status) may not fit this reading; ignore them.
    }
  }
}
