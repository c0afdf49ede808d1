import type { FrameClaim } from "@lumen/protocol";

/** One evidence frame: its claim for the token and its JPEG for the upload. */
export interface EvidenceFrame {
  readonly claim: FrameClaim;
  readonly jpeg: Uint8Array<ArrayBuffer>;
}

/**
 * Spreads the server's frame budget over the challenge's phases (baseline, each flash, each
 * pose, a tail) in proportion to each phase's share, so no phase can starve a later one, and
 * tops up in the tail (one share) to the minimum.
 *
 * @example
 * ```ts
 * const collector = new EvidenceCollector(
 *   { baseline: 1, "flash-0": 2, "pose-0": 1 },
 *   { minFrames: 4, maxFrames: 25 },
 * ); // 5 frames a share: 5, 10 and 5
 * collector.enter("baseline");
 * if (collector.wants(capturedAt)) request.evidence = true;
 * ```
 */
export class EvidenceCollector {
  readonly #budgets: ReadonlyMap<string, number>;
  readonly #limits: { readonly minFrames: number; readonly maxFrames: number };
  readonly #frames: EvidenceFrame[] = [];
  #phase: string | null = null;
  #inPhase = 0;
  #fromMs = Number.NEGATIVE_INFINITY;
  #untilMs = Number.POSITIVE_INFINITY;

  /**
   * @param shares Each phase's share of the budget, by name (a positive number).
   * @throws {RangeError} When a share is not a positive finite number.
   */
  constructor(
    shares: Readonly<Record<string, number>>,
    limits: { readonly minFrames: number; readonly maxFrames: number },
  ) {
    this.#limits = limits;
    const entries = Object.entries(shares);
    for (const [phase, share] of entries) {
      if (!(share > 0 && Number.isFinite(share))) {
        throw new RangeError(`The phase ${phase} needs a positive share, got ${share}`);
      }
    }
    // The tail gets a share too, for the minimum.
    const perShare = limits.maxFrames / (entries.reduce((sum, [, share]) => sum + share, 0) + 1);
    this.#budgets = new Map(
      entries.map(([phase, share]) => [phase, Math.max(1, Math.floor(perShare * share))]),
    );
  }

  /**
   * Starts a phase; `null` stops collecting. A phase collects frames captured from `fromMs`
   * (epoch ms) on, `Infinity` until {@link collectFrom} says when the phase's evidence begins.
   */
  enter(phase: string | null, fromMs = Number.NEGATIVE_INFINITY): void {
    this.#phase = phase;
    this.#inPhase = 0;
    this.#fromMs = fromMs;
    this.#untilMs = Number.POSITIVE_INFINITY;
  }

  /**
   * Sets when the current phase's evidence begins: a flash once its light can have reached the
   * camera, a head turn once the head got there. Frames before it would spend the phase's
   * budget on the transition, which the server then counts against the wrong window. With
   * `untilMs` (when the phase ends) the phase's frames are spread over the time between: its
   * k-th of n frames is the first captured from `fromMs + k·(untilMs − fromMs)/n`, so they show
   * different moments of a moving face rather than one instant, and a frame missed (a busy
   * page) is made up by the next.
   */
  collectFrom(fromMs: number, untilMs = Number.POSITIVE_INFINITY): void {
    this.#fromMs = fromMs;
    this.#untilMs = untilMs;
  }

  /** Whether the analysed frame captured at `capturedAt` (epoch ms) should be kept as evidence. */
  wants(capturedAt: number): boolean {
    if (this.#phase === null || this.#frames.length >= this.#limits.maxFrames) return false;
    if (capturedAt < this.#fromMs) return false;
    if (this.#phase === "tail") return this.#frames.length < this.#limits.minFrames;
    const budget = this.#budgets.get(this.#phase) ?? 0;
    if (this.#inPhase >= budget) return false;
    if (!(this.#untilMs > this.#fromMs && Number.isFinite(this.#untilMs))) return true;
    return capturedAt >= this.#fromMs + (this.#inPhase * (this.#untilMs - this.#fromMs)) / budget;
  }

  /**
   * Keeps `frame` in capture order (the token lists frames by strictly increasing time): a frame
   * encoded on the page during a flash can arrive before an earlier one the worker is still
   * analysing. A second frame with the same capture time is not evidence.
   */
  add(frame: EvidenceFrame): void {
    if (this.#frames.length >= this.#limits.maxFrames) return;
    const at = frame.claim.capturedAt;
    let index = this.#frames.length;
    while (index > 0 && (this.#frames[index - 1]?.claim.capturedAt ?? -Infinity) > at) index--;
    if (this.#frames[index - 1]?.claim.capturedAt === at) return;
    this.#frames.splice(index, 0, frame);
    this.#inPhase++;
  }

  get enough(): boolean {
    return this.#frames.length >= this.#limits.minFrames;
  }

  get frames(): readonly EvidenceFrame[] {
    return this.#frames;
  }
}
