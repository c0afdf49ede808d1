import { SessionAnalysis } from "@lumen/protocol";
import type { EvidenceInput } from "../../src/verification/evidence-verifier.ts";

/**
 * The analysis the fake verifier reports by default: one entry per uploaded frame, illumination
 * step and prompt of its input, with fixed numbers (the first step without a response); no
 * illumination under `no-flash`.
 */
export function fakeAnalysis(input: EvidenceInput): SessionAnalysis {
  return SessionAnalysis.parse({
    frames: input.claims.frames.map((frame, i) => ({
      capturedAt: frame.capturedAt,
      faces: 1,
      liveness: 3 + i,
      realness: 0.9,
      passive: { "minifasnet-v2-se": 3 + i },
      yawDegrees: 1,
      pitchDegrees: -2,
      illuminationStep: null,
      light: null,
    })),
    illumination:
      input.challenge.flashes.length === 0
        ? null
        : {
            steps: input.challenge.flashes.map((step, i) => ({
              pattern: step.pattern,
              colours: step.colours,
              shownAt: input.claims.flashesShownAt[i] ?? null,
              durationMs: step.durationMs,
              response: i === 0 ? null : 0.05,
              sideContrast: step.pattern === "full" ? null : { observed: 0.1, predicted: 0.12 },
            })),
            lagMs: 80,
            correlation: 0.9,
            shapeAgreement: 0.85,
            backgroundRatio: 0.1,
          },
    poses: input.challenge.poses.map((prompt, i) => ({
      direction: prompt.direction,
      shownAt: input.claims.posesShownAt[i] ?? null,
      peakDegrees: 15,
      reached: true,
    })),
    thresholds: {
      liveness: 0,
      realness: 0.2,
      passiveFused: -3.5,
      illumination: {
        minResponse: 0.02,
        minCorrelation: 0.5,
        lagMs: { min: 0, max: 400 },
        minShapeAgreement: 0.5,
        maxBackgroundRatio: 0.5,
      },
      poseDegrees: { yaw: 10, pitch: 7 },
    },
  });
}
