import type { FrameClaim } from "@lumen/protocol";

/** One evidence frame: its claim for the token and its JPEG for the upload. */
export interface EvidenceFrame {
  readonly claim: FrameClaim;
  readonly jpeg: Uint8Array<ArrayBuffer>;
}

/**
 * Spreads the server's frame budget over the challenge's phases (baseline, each flash, each
 * pose, a tail), so no phase can starve a later one, and tops up in the tail to the minimum.
 *
 * @example
 * ```ts
 * const collector = new EvidenceCollector(["baseline", "flash-0", "pose-0"], { minFrames: 4, maxFrames: 24 });
 * collector.enter("baseline");
 * if (collector.wants(capturedAt)) request.evidence = true;
 * ```
 */
export class EvidenceCollector {
  readonly #budget: number;
  readonly #limits: { readonly minFrames: number; readonly maxFrames: number };
  readonly #frames: EvidenceFrame[] = [];
  #phase: string | null = null;
  #inPhase = 0;
  #fromMs = Number.NEGATIVE_INFINITY;

  constructor(
    phases: readonly string[],
    limits: { readonly minFrames: number; readonly maxFrames: number },
  ) {
    this.#limits = limits;
    // The tail gets a share too, for the minimum.
    this.#budget = Math.max(1, Math.floor(limits.maxFrames / (phases.length + 1)));
  }

  /**
   * Starts a phase; `null` stops collecting. A phase collects frames captured from `fromMs`
   * (epoch ms) on, `Infinity` until {@link collectFrom} says when the phase's evidence begins.
   */
  enter(phase: string | null, fromMs = Number.NEGATIVE_INFINITY): void {
    this.#phase = phase;
    this.#inPhase = 0;
    this.#fromMs = fromMs;
  }

  /**
   * Sets when the current phase's evidence begins: a flash once its light can have reached the
   * camera, a head turn once the head got there. Frames before it would spend the phase's
   * budget on the transition, which the server then counts against the wrong window.
   */
  collectFrom(fromMs: number): void {
    this.#fromMs = fromMs;
  }

  /** Whether the analysed frame captured at `capturedAt` (epoch ms) should be kept as evidence. */
  wants(capturedAt: number): boolean {
    if (this.#phase === null || this.#frames.length >= this.#limits.maxFrames) return false;
    if (capturedAt < this.#fromMs) return false;
    if (this.#phase === "tail") return this.#frames.length < this.#limits.minFrames;
    return this.#inPhase < this.#budget;
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
