import { describe, expect, it } from "vitest";
import {
  SessionAnalysis,
  type CaptureFacts,
  type Challenge,
  type Policy,
  type ResultTokenClaims,
} from "@lumen/protocol";
import {
  assessEvidence,
  DECISION_THRESHOLDS,
  evaluateIllumination,
  evaluatePoseSequence,
  FACE_IDENTITY_MAX_STEP,
  ILLUMINATION_MAX_SHAPE_AGREEMENT,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  type FaceEvidence,
  type FrameEvidence,
  type MeasuredLight,
} from "../src/index.ts";
import { PERSON_A, PERSON_B } from "./support/face-embeddings.ts";
import {
  renderSession,
  TEST_SHOWN_AT,
  TEST_STEPS,
  type Subject,
} from "./support/illumination-render.ts";
import { BONA_FIDE_PASSIVE } from "./support/passive-scores.ts";

function face(over: {
  yaw?: number;
  pitch?: number;
  embedding?: Float32Array | null;
  liveness?: number;
  light?: MeasuredLight | null;
}): FaceEvidence {
  return {
    box: { x: 100, y: 100, width: 200, height: 240 },
    detectionScore: 0.9,
    liveness: over.liveness ?? 8,
    realness: 0.9,
    passive: BONA_FIDE_PASSIVE,
    pose: { yawDegrees: over.yaw ?? 0, pitchDegrees: over.pitch ?? 0, rollDegrees: 0 },
    light: over.light ?? null,
    embedding: over.embedding === undefined ? PERSON_A : over.embedding,
    luma: 110,
    sharpness: 6,
    faceSize: 0.45,
  };
}

// Dark, left-right, green, top-bottom, dark: 400 ms each from 2000.
const STEPS = TEST_STEPS.slice(0, 5);
const STEPS_SHOWN_AT = TEST_SHOWN_AT.slice(0, 5);
const challenge: Challenge = {
  flashes: STEPS,
  poses: [
    { direction: "left", holdMs: 500 },
    { direction: "down", holdMs: 500 },
  ],
  oval: { centerX: 0.5, centerY: 0.45, width: 0.5, height: 0.65 },
};
const POSES_SHOWN_AT = [4600, 5400];

// A face lit by the sequence (frames every 90 ms from 1600 to 4400), then a session that turns
// left past the threshold twice and looks down only 5–6° (under the 7° pitch threshold).
// `later` is the face's embedding from the sequence's start on.
function session(
  subject: Subject = "genuine",
  later: Float32Array | null = PERSON_A,
): FrameEvidence[] {
  const lit = renderSession(STEPS, STEPS_SHOWN_AT, { subject, frameIntervalMs: 90 });
  return [
    ...lit.map((frame, i) => ({
      capturedAt: frame.capturedAt,
      faceCount: 1,
      face: face({
        yaw: i === 0 ? 1 : i === 1 ? -1 : 0,
        light: frame.light,
        embedding: frame.capturedAt >= 2000 ? later : PERSON_A,
      }),
    })),
    { capturedAt: 4700, faceCount: 1, face: face({ yaw: 15 }) },
    { capturedAt: 4900, faceCount: 1, face: face({ yaw: 12 }) },
    { capturedAt: 5200, faceCount: 0, face: null },
    { capturedAt: 5500, faceCount: 1, face: face({ pitch: -5 }) },
    { capturedAt: 5700, faceCount: 2, face: face({ pitch: -6, liveness: -3 }) },
  ];
}
const frames = session();

const capture: CaptureFacts = {
  cameraLabel: "cam",
  userAgent: "ua",
  trackSettings: {},
  customSource: false,
};

function claims(
  over: Partial<ResultTokenClaims> = {},
  of: readonly FrameEvidence[] = frames,
): ResultTokenClaims {
  return {
    sid: "ses_AAAAAAAAAAAAAAAAAAAAAA",
    nonce: "n".repeat(22),
    iat: 1,
    exp: 61,
    frames: of.map((frame) => ({
      capturedAt: frame.capturedAt,
      sha256: "a".repeat(64),
      width: 640,
      height: 480,
      scores: null,
    })),
    flashesShownAt: STEPS_SHOWN_AT,
    posesShownAt: POSES_SHOWN_AT,
    models: "b".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 3 },
    ...over,
  };
}

function assess(
  policy: Policy,
  over: Partial<ResultTokenClaims> = {},
  of: readonly FrameEvidence[] = frames,
) {
  return assessEvidence({ policy, challenge, claims: claims(over, of), capture, frames: of });
}

describe("assessEvidence: illumination", () => {
  it("passes a face lit by the sequence and fails the same session tinted flat", () => {
    const genuine = assess("standard");
    expect(genuine.reasons).not.toContain("FLASH_RESPONSE_MISSING");
    expect(genuine.reasons).not.toContain("REFLECTION_TIMING");
    expect(genuine.reasons).not.toContain("REFLECTION_NOT_3D");
    expect(genuine.reasons).not.toContain("REFLECTION_UNIFORM");
    expect(genuine.scores.shapeAgreement).toBeGreaterThan(0.7);
    expect(genuine.scores.illuminationLagMs).toBeGreaterThanOrEqual(0);
    const tinted = session("face-tint");
    expect(assess("standard", {}, tinted).reasons).toContain("REFLECTION_NOT_3D");
    const none = session("none");
    expect(assess("standard", {}, none).reasons).toContain("FLASH_RESPONSE_MISSING");
  });

  it("carries the illumination evaluator's own outcomes", () => {
    const { analysis } = assess("standard");
    const evaluated = evaluateIllumination(
      STEPS,
      STEPS_SHOWN_AT,
      frames.map((frame) => ({ capturedAt: frame.capturedAt, light: frame.face?.light ?? null })),
      {
        ...DECISION_THRESHOLDS.standard.illumination,
        maxShapeAgreement: ILLUMINATION_MAX_SHAPE_AGREEMENT,
      },
    );
    expect(analysis.illumination).toEqual({
      steps: STEPS.map((step, i) => ({
        pattern: step.pattern,
        colours: step.colours,
        shownAt: STEPS_SHOWN_AT[i],
        durationMs: step.durationMs,
        response: evaluated.steps[i]?.response,
        sideContrast: evaluated.steps[i]?.sideContrast ?? null,
      })),
      lagMs: evaluated.lagMs,
      correlation: evaluated.correlation,
      shapeAgreement: evaluated.shapeAgreement,
      backgroundRatio: evaluated.backgroundRatio,
    });
    expect(analysis.frames.map((frame) => frame.illuminationStep)).toEqual(evaluated.frameSteps);
    // Split steps report their contrasts; full ones none.
    expect(analysis.illumination?.steps.map((step) => step.sideContrast !== null)).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it("reports each frame's own numbers, the step it shows and its light to 5 decimals", () => {
    const { analysis } = assess("standard");
    expect(analysis.frames).toHaveLength(frames.length);
    const light = frames[0]?.face?.light;
    expect(analysis.frames[0]).toEqual({
      capturedAt: frames[0]?.capturedAt,
      faces: 1,
      liveness: 8,
      realness: 0.9,
      passive: BONA_FIDE_PASSIVE,
      yawDegrees: 1,
      pitchDegrees: 0,
      illuminationStep: null,
      light: {
        forehead: light?.regions.forehead.rgb.map((v) => Math.round(v * 1e5) / 1e5),
        nose: light?.regions.nose.rgb.map((v) => Math.round(v * 1e5) / 1e5),
        leftCheek: light?.regions.leftCheek.rgb.map((v) => Math.round(v * 1e5) / 1e5),
        rightCheek: light?.regions.rightCheek.rgb.map((v) => Math.round(v * 1e5) / 1e5),
        chin: light?.regions.chin.rgb.map((v) => Math.round(v * 1e5) / 1e5),
        background: light?.background?.map((v) => Math.round(v * 1e5) / 1e5),
      },
    });
    const faceless = analysis.frames.find((frame) => frame.faces === 0);
    expect(faceless).toMatchObject({ liveness: null, illuminationStep: null, light: null });
    // A frame 200 ms into the left-right step shows it; the pose frames show none.
    const inSplit = frames.findIndex((f) => f.capturedAt >= 2600 && f.capturedAt < 2700);
    expect(analysis.frames[inSplit]?.illuminationStep).toBe(1);
    expect(analysis.frames.at(-1)?.illuminationStep).toBeNull();
  });

  it("keeps a frame of a lit split step for audit", () => {
    const { auditFrames } = assess("standard");
    const stepOf = assess("standard").analysis.frames.map((frame) => frame.illuminationStep);
    expect(auditFrames.some((i) => stepOf[i] === 1 || stepOf[i] === 3)).toBe(true);
  });

  it("fails FACE_CHANGED when another person's face takes over, or a face has no embedding", () => {
    expect(assess("standard").scores.identityStep).toBeCloseTo(0, 6);
    const swapped = assess("standard", {}, session("genuine", PERSON_B));
    expect(swapped.reasons).toContain("FACE_CHANGED");
    expect(swapped.scores.identityStep).toBeGreaterThan(FACE_IDENTITY_MAX_STEP);
    const unjudged = assess("standard", {}, session("genuine", null));
    expect(unjudged.reasons).toContain("FACE_CHANGED");
    expect(unjudged.scores.identityStep).toBeUndefined();
  });

  it("fails closed on a schedule that does not match the steps", () => {
    const { analysis, reasons } = assess("standard", { flashesShownAt: [2000] });
    expect(reasons).toContain("FLASH_RESPONSE_MISSING");
    expect(
      analysis.illumination?.steps.map((step) => [step.shownAt, step.response, step.sideContrast]),
    ).toEqual([
      [2000, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
    ]);
    expect(analysis.illumination?.lagMs).toBeNull();
    expect(analysis.frames.every((frame) => frame.illuminationStep === null)).toBe(true);
  });

  it("reports no illumination under no-flash, where the sequence is not evaluated", () => {
    const { analysis, reasons, scores } = assess("no-flash");
    expect(analysis.illumination).toBeNull();
    expect(analysis.frames.every((frame) => frame.illuminationStep === null)).toBe(true);
    expect(reasons).not.toContain("FLASH_RESPONSE_MISSING");
    expect(scores).not.toHaveProperty("shapeAgreement");
  });
});

describe("assessEvidence: analysis", () => {
  it("carries the pose evaluator's own peaks and verdicts, from its baseline", () => {
    const result = assess("standard");
    const evaluated = evaluatePoseSequence(
      challenge.poses,
      POSES_SHOWN_AT,
      frames.map((frame) => ({ capturedAt: frame.capturedAt, pose: frame.face?.pose ?? null })),
      { minTurnedFrames: DECISION_THRESHOLDS.standard.minTurnedFrames },
    );
    expect(result.analysis.poses).toEqual(
      evaluated.prompts.map((outcome, i) => ({
        direction: challenge.poses[i]?.direction,
        shownAt: POSES_SHOWN_AT[i],
        peakDegrees: outcome.peakDegrees,
        reached: outcome.followed,
      })),
    );
    expect(result.analysis.poses).toEqual([
      { direction: "left", shownAt: 4600, peakDegrees: 15, reached: true },
      { direction: "down", shownAt: 5400, peakDegrees: 6, reached: false },
    ]);
    expect(result.reasons).toContain("CHALLENGE_FAILED");
  });

  it("reports the thresholds of the session's policy", () => {
    for (const policy of ["standard", "high", "no-flash"] as const) {
      expect(assess(policy).analysis.thresholds).toEqual({
        liveness: DECISION_THRESHOLDS[policy].minMedianLiveness,
        realness: DECISION_THRESHOLDS[policy].minMedianRealness,
        passiveFused: DECISION_THRESHOLDS[policy].passiveFusion.threshold,
        illumination: DECISION_THRESHOLDS[policy].illumination,
        poseDegrees: { yaw: POSE_YAW_THRESHOLD_DEGREES, pitch: POSE_PITCH_THRESHOLD_DEGREES },
      });
    }
    expect(DECISION_THRESHOLDS.high.illumination.minCorrelation).toBeGreaterThan(
      DECISION_THRESHOLDS.standard.illumination.minCorrelation,
    );
    // `high` needs two turned frames per prompt: the left turn still has them.
    expect(assess("high").analysis.poses[0]?.reached).toBe(true);
  });

  it("shows a pose schedule the evaluator refuses as unmeasured and unreached", () => {
    const { analysis } = assess("standard", { posesShownAt: [] });
    // Without a prompt time there is no frame before the first prompt, so no baseline.
    expect(analysis.poses).toEqual([
      { direction: "left", shownAt: null, peakDegrees: null, reached: false },
      { direction: "down", shownAt: null, peakDegrees: null, reached: false },
    ]);
  });

  it("is JSON-safe data the wire schema accepts", () => {
    for (const over of [{}, { flashesShownAt: [2000] }]) {
      const { analysis } = assess("standard", over);
      const wire: unknown = JSON.parse(JSON.stringify(analysis));
      expect(SessionAnalysis.parse(wire)).toEqual(analysis);
    }
    const { analysis } = assess("no-flash");
    expect(SessionAnalysis.parse(JSON.parse(JSON.stringify(analysis)))).toEqual(analysis);
  });
});
