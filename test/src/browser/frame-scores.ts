// Per-frame scores a page reports from the SDK's analysis worker, and how two runs of them are
// compared: shared by the WebGPU and the WASM-threads tests and their pages.

/** The analysis worker's scores for one frame. */
export interface FrameScores {
  readonly faces: number;
  readonly presence: number | null;
  readonly liveness: number | null;
  readonly realness: number | null;
  /** The mesh landmarks, `x, y, z` in frame pixels. */
  readonly points: readonly number[];
}

/** The largest absolute difference of each score between two runs over the same frames. */
export interface FrameScoreDeltas {
  readonly presence: number;
  readonly liveness: number;
  readonly realness: number;
  readonly landmarksPx: number;
}

function maxDelta(a: readonly (number | null)[], b: readonly (number | null)[]): number {
  let max = 0;
  a.forEach((value, i) => {
    // A missing score on one side makes the delta NaN, which fails every `<=` check.
    max = Math.max(max, Math.abs((value ?? Number.NaN) - (b[i] ?? Number.NaN)));
  });
  return max;
}

/**
 * Compares two runs of the same frames score by score.
 *
 * @example
 * ```ts
 * const deltas = frameScoreDeltas(webgpu.frames, wasm.frames);
 * expect(deltas.liveness).toBeLessThanOrEqual(1e-3);
 * ```
 */
export function frameScoreDeltas(
  a: readonly FrameScores[],
  b: readonly FrameScores[],
): FrameScoreDeltas {
  return {
    presence: maxDelta(
      a.map((f) => f.presence),
      b.map((f) => f.presence),
    ),
    liveness: maxDelta(
      a.map((f) => f.liveness),
      b.map((f) => f.liveness),
    ),
    realness: maxDelta(
      a.map((f) => f.realness),
      b.map((f) => f.realness),
    ),
    landmarksPx: Math.max(...a.map((f, i) => maxDelta(f.points, b[i]?.points ?? []))),
  };
}
