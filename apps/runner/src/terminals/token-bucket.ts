/**
 * A token bucket of bytes: refills at `rate` per second up to one second's worth, and may be overdrawn by the
 * chunk that emptied it (a PTY read is taken whole). `waitMs` says how long until it is back at zero.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly rate: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = rate
    this.last = now()
  }

  take(bytes: number): void {
    this.refill()
    this.tokens -= bytes
  }

  /** Bytes taken within the last second's refill (0 when the bucket is full). */
  used(): number {
    this.refill()
    return this.rate - this.tokens
  }

  waitMs(): number {
    this.refill()
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000)
  }

  private refill(): void {
    const now = this.now()
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.last) / 1000) * this.rate)
    this.last = now
  }
}
