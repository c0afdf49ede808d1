import type { FrameLight, IlluminationStep, PoseDirection, SessionAnalysis } from "@lumen/protocol";
import type { IlluminationResult } from "../illumination/evaluate-illumination.ts";
import type { LinearRgb } from "../illumination/linear-light.ts";
import type { MeasuredLight } from "../illumination/measure-frame-light.ts";
import type { PoseSequenceResult } from "./evaluate-pose-sequence.ts";
import type { FrameEvidence } from "./frame-evidence.ts";

/** Inputs of {@link buildSessionAnalysis}: the evidence and what the evaluators made of it. */
export interface SessionAnalysisInput {
  /** The server's own view of each frame, in upload order. */
  readonly frames: readonly FrameEvidence[];
  /** The illumination steps that were evaluated (none under `no-flash`), in challenge order. */
  readonly steps: readonly IlluminationStep[];
  readonly stepsShownAt: readonly number[];
  /** The illumination evaluator's result for `steps`; `null` when there were none. */
  readonly illumination: IlluminationResult | null;
  readonly poses: readonly { readonly direction: PoseDirection }[];
  readonly posesShownAt: readonly number[];
  /** The pose evaluator's result for `poses`. */
  readonly pose: PoseSequenceResult;
  readonly thresholds: SessionAnalysis["thresholds"];
}

// The wire schema's bound on a frame's face count.
const MAX_FACES = 16;

const finite = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

// Linear light to 5 decimals: a hundredth of an 8-bit step at the dark end, and short JSON.
const round = (rgb: LinearRgb): [number, number, number] => [
  Math.round(rgb[0] * 1e5) / 1e5,
  Math.round(rgb[1] * 1e5) / 1e5,
  Math.round(rgb[2] * 1e5) / 1e5,
];

function frameLight(light: MeasuredLight): FrameLight {
  const { regions } = light;
  return {
    forehead: round(regions.forehead.rgb),
    nose: round(regions.nose.rgb),
    leftCheek: round(regions.leftCheek.rgb),
    rightCheek: round(regions.rightCheek.rgb),
    chin: round(regions.chin.rgb),
    background: light.background ? round(light.background) : null,
  };
}

/**
 * Turns the frame evidence and the evaluators' own illumination and per-prompt outcomes into
 * the relying party's {@link SessionAnalysis}: pure data, JSON-safe (a number the evaluator
 * could not measure, `NaN`, becomes `null`), decided nothing anew. A frame's
 * `illuminationStep` is the step the illumination evaluator placed it in, at its measured lag.
 *
 * @example
 * ```ts
 * const analysis = buildSessionAnalysis({ frames, steps, stepsShownAt, illumination, poses, posesShownAt, pose, thresholds });
 * ```
 */
export function buildSessionAnalysis(input: SessionAnalysisInput): SessionAnalysis {
  const { illumination } = input;
  return {
    frames: input.frames.map((frame, i) => ({
      capturedAt: frame.capturedAt,
      faces: Math.min(MAX_FACES, frame.faceCount),
      liveness: finite(frame.face?.liveness),
      realness: finite(frame.face?.realness),
      passive: Object.fromEntries(
        Object.entries(frame.face?.passive ?? {}).filter(([, score]) => Number.isFinite(score)),
      ),
      yawDegrees: finite(frame.face?.pose.yawDegrees),
      pitchDegrees: finite(frame.face?.pose.pitchDegrees),
      illuminationStep: illumination?.frameSteps[i] ?? null,
      light: frame.face?.light ? frameLight(frame.face.light) : null,
    })),
    illumination: illumination && {
      steps: input.steps.map((step, i) => {
        const outcome = illumination.steps[i];
        const contrast = outcome?.sideContrast ?? null;
        return {
          pattern: step.pattern,
          colours: step.colours,
          shownAt: input.stepsShownAt[i] ?? null,
          durationMs: step.durationMs,
          response: finite(outcome?.response),
          sideContrast:
            contrast && Number.isFinite(contrast.observed) && Number.isFinite(contrast.predicted)
              ? { observed: contrast.observed, predicted: contrast.predicted }
              : null,
        };
      }),
      lagMs: finite(illumination.lagMs),
      correlation: finite(illumination.correlation),
      shapeAgreement: finite(illumination.shapeAgreement),
      backgroundRatio: finite(illumination.backgroundRatio),
    },
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
