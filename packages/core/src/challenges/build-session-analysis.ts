import type { FlashColour, PoseDirection, SessionAnalysis } from "@lumen/protocol";
import type { FlashResponseResult } from "./evaluate-flash-response.ts";
import type { PoseSequenceResult } from "./evaluate-pose-sequence.ts";
import type { FrameEvidence } from "./frame-evidence.ts";

/** Inputs of {@link buildSessionAnalysis}: the evidence and what the evaluators made of it. */
export interface SessionAnalysisInput {
  /** The server's own view of each frame, in upload order. */
  readonly frames: readonly FrameEvidence[];
  /** The flashes that were evaluated (none under `no-flash`), in challenge order. */
  readonly flashes: readonly { readonly colour: FlashColour; readonly durationMs: number }[];
  readonly flashesShownAt: readonly number[];
  /** The flash evaluator's result for `flashes`; `null` when there were none. */
  readonly flash: FlashResponseResult | null;
  readonly poses: readonly { readonly direction: PoseDirection }[];
  readonly posesShownAt: readonly number[];
  /** The pose evaluator's result for `poses`. */
  readonly pose: PoseSequenceResult;
  /** The flash colour lit when a frame was captured (the rule `assessEvidence` uses). */
  readonly flashAt: (capturedAt: number) => FlashColour | null;
  readonly thresholds: SessionAnalysis["thresholds"];
}

// The wire schema's bound on a frame's face count.
const MAX_FACES = 16;

const finite = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/**
 * Turns the frame evidence and the evaluators' own per-flash and per-prompt outcomes into the
 * relying party's {@link SessionAnalysis}: pure data, JSON-safe (a number the evaluator could
 * not measure, `NaN`, becomes `null`), decided nothing anew.
 *
 * @example
 * ```ts
 * const analysis = buildSessionAnalysis({ frames, flashes, flashesShownAt, flash, poses, posesShownAt, pose, flashAt, thresholds });
 * ```
 */
export function buildSessionAnalysis(input: SessionAnalysisInput): SessionAnalysis {
  const flashOutcomes = input.flash?.flashes ?? [];
  return {
    frames: input.frames.map((frame) => ({
      capturedAt: frame.capturedAt,
      faces: Math.min(MAX_FACES, frame.faceCount),
      liveness: finite(frame.face?.liveness),
      realness: finite(frame.face?.realness),
      yawDegrees: finite(frame.face?.pose.yawDegrees),
      pitchDegrees: finite(frame.face?.pose.pitchDegrees),
      flash: input.flashAt(frame.capturedAt),
    })),
    flashes: input.flashes.map((flash, i) => {
      const outcome = flashOutcomes[i];
      return {
        colour: flash.colour,
        shownAt: input.flashesShownAt[i] ?? null,
        durationMs: flash.durationMs,
        response: finite(outcome?.response),
        responded: outcome?.responded ?? false,
      };
    }),
    poses: input.poses.map((prompt, i) => {
      const outcome = input.pose.prompts[i];
      return {
        direction: prompt.direction,
        shownAt: input.posesShownAt[i] ?? null,
        peakDegrees: finite(outcome?.peakDegrees),
        reached: outcome?.followed ?? false,
      };
    }),
    thresholds: input.thresholds,
  };
}
