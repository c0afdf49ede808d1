const MAX_KEYS_BEFORE_SWEEP = 10_000;

/** Options of {@link SlidingWindowLimiter}. */
export interface SlidingWindowLimiterOptions {
  /** Events allowed per key within the window. */
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * Counts events per key over a sliding window, in memory (one server process; a shared store can
 * implement the same three methods). Time is passed in, so tests need no fake timers.
 *
 * @example
 * ```ts
 * const perKey = new SlidingWindowLimiter({ limit: 60, windowMs: 60_000 });
 * if (!perKey.tryAcquire(keyId, now)) throw new LumenError("RATE_LIMITED", "Slow down");
 * ```
 */
export class SlidingWindowLimiter {
  readonly #options: SlidingWindowLimiterOptions;
  readonly #events = new Map<string, number[]>();

  constructor(options: SlidingWindowLimiterOptions) {
    if (!(options.limit >= 1) || !(options.windowMs > 0)) {
      throw new TypeError("A rate limit needs limit >= 1 and windowMs > 0");
    }
    this.#options = options;
  }

  /** Events of `key` still inside the window. */
  count(key: string, nowMs: number): number {
    return this.#live(key, nowMs).length;
  }

  /** Records an event. */
  record(key: string, nowMs: number): void {
    // Keys can come from request paths: sweep stale ones before the map can grow without bound.
    if (this.#events.size >= MAX_KEYS_BEFORE_SWEEP) this.prune(nowMs);
    const events = this.#live(key, nowMs);
    events.push(nowMs);
    this.#events.set(key, events);
  }

  /** Records an event unless the limit is reached; `false` means refused. */
  tryAcquire(key: string, nowMs: number): boolean {
    if (this.count(key, nowMs) >= this.#options.limit) return false;
    this.record(key, nowMs);
    return true;
  }

  /** Whether `key` has reached its limit. */
  isLimited(key: string, nowMs: number): boolean {
    return this.count(key, nowMs) >= this.#options.limit;
  }

  /** Seconds until `key` may act again (at least 1). */
  retryAfterSeconds(key: string, nowMs: number): number {
    const oldest = this.#live(key, nowMs)[0] ?? nowMs;
    return Math.max(1, Math.ceil((oldest + this.#options.windowMs - nowMs) / 1000));
  }

  /** Forgets keys with no event in the window, so memory does not grow with every key ever seen. */
  prune(nowMs: number): void {
    for (const key of [...this.#events.keys()]) {
      if (this.#live(key, nowMs).length === 0) this.#events.delete(key);
    }
  }

  #live(key: string, nowMs: number): number[] {
    const events = this.#events.get(key);
    if (events === undefined) return [];
    const from = nowMs - this.#options.windowMs;
    const live = events.filter((at) => at > from);
    if (live.length === 0) this.#events.delete(key);
    else this.#events.set(key, live);
    return live;
  }
}
