import { describe, expect, it } from "vitest";
import {
  SessionAnalysis,
  type CaptureFacts,
  type Challenge,
  type FlashColour,
  type Policy,
  type ResultTokenClaims,
} from "@lumen/protocol";
import {
  assessEvidence,
  DECISION_THRESHOLDS,
  evaluateFlashResponse,
  evaluatePoseSequence,
  FLASH_MIN_CHROMA_SHIFT,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  type FaceEvidence,
  type FrameEvidence,
  type Rgb,
} from "../src/index.ts";

const SKIN: Rgb = { r: 180, g: 130, b: 110 };

function lit(colour: FlashColour, blend = 0.15): Rgb {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return {
    r: (1 - blend) * SKIN.r + blend * (r ?? 0),
    g: (1 - blend) * SKIN.g + blend * (g ?? 0),
    b: (1 - blend) * SKIN.b + blend * (b ?? 0),
  };
}

function face(over: { yaw?: number; pitch?: number; skin?: Rgb; liveness?: number }): FaceEvidence {
  return {
    box: { x: 100, y: 100, width: 200, height: 240 },
    detectionScore: 0.9,
    liveness: over.liveness ?? 8,
    realness: 0.9,
    pose: { yawDegrees: over.yaw ?? 0, pitchDegrees: over.pitch ?? 0, rollDegrees: 0 },
    skin: over.skin ?? SKIN,
    signature: new Float32Array([-1, -1.2, -1.2, -0.6]),
    luma: 110,
    sharpness: 6,
    faceSize: 0.45,
  };
}

const challenge: Challenge = {
  flashes: [
    { colour: "#ff0000", durationMs: 400 },
    { colour: "#0000ff", durationMs: 400 },
    { colour: "#00ff00", durationMs: 400 },
  ],
  poses: [
    { direction: "left", holdMs: 500 },
    { direction: "down", holdMs: 500 },
  ],
  oval: { centerX: 0.5, centerY: 0.45, width: 0.5, height: 0.65 },
};
const FLASHES_SHOWN_AT = [1300, 1700, 2100];
const POSES_SHOWN_AT = [2700, 3500];

// A session whose face answers the red and green flashes but not the blue one, turns left past
// the threshold twice and looks down only 5–6° (under the 7° pitch threshold).
const frames: FrameEvidence[] = [
  { capturedAt: 1000, faceCount: 1, face: face({ yaw: 1, pitch: 0.5 }) },
  { capturedAt: 1100, faceCount: 1, face: face({ yaw: -1, pitch: -0.5 }) },
  { capturedAt: 1200, faceCount: 1, face: face({}) },
  { capturedAt: 1450, faceCount: 1, face: face({ skin: lit("#ff0000") }) },
  { capturedAt: 1600, faceCount: 1, face: face({ skin: lit("#ff0000") }) },
  // Blue is on screen, but the camera still shows red (inside the 80 ms lag).
  { capturedAt: 1740, faceCount: 1, face: face({ skin: lit("#ff0000") }) },
  { capturedAt: 1850, faceCount: 1, face: face({}) },
  { capturedAt: 2000, faceCount: 1, face: face({}) },
  { capturedAt: 2250, faceCount: 1, face: face({ skin: lit("#00ff00") }) },
  { capturedAt: 2400, faceCount: 1, face: face({ skin: lit("#00ff00") }) },
  // After green ended, before the camera caught up: still counted as lit.
  { capturedAt: 2550, faceCount: 1, face: face({}) },
  { capturedAt: 2600, faceCount: 1, face: face({}) },
  { capturedAt: 2800, faceCount: 1, face: face({ yaw: 15 }) },
  { capturedAt: 3000, faceCount: 1, face: face({ yaw: 12 }) },
  { capturedAt: 3300, faceCount: 0, face: null },
  { capturedAt: 3600, faceCount: 1, face: face({ pitch: -5 }) },
  { capturedAt: 3800, faceCount: 2, face: face({ pitch: -6, liveness: -3 }) },
];

const capture: CaptureFacts = {
  cameraLabel: "cam",
  userAgent: "ua",
  trackSettings: {},
  customSource: false,
};

function claims(over: Partial<ResultTokenClaims> = {}): ResultTokenClaims {
  return {
    sid: "ses_AAAAAAAAAAAAAAAAAAAAAA",
    nonce: "n".repeat(22),
    iat: 1,
    exp: 61,
    frames: frames.map((frame) => ({
      capturedAt: frame.capturedAt,
      sha256: "a".repeat(64),
      width: 640,
      height: 480,
      scores: null,
    })),
    flashesShownAt: FLASHES_SHOWN_AT,
    posesShownAt: POSES_SHOWN_AT,
    models: "b".repeat(64),
    signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 3 },
    ...over,
  };
}

function assess(policy: Policy, over: Partial<ResultTokenClaims> = {}) {
  return assessEvidence({ policy, challenge, claims: claims(over), capture, frames });
}

describe("assessEvidence: analysis", () => {
  it("reports each frame's own numbers and the flash lit at its capture", () => {
    const { analysis } = assess("standard");
    expect(analysis.frames).toHaveLength(frames.length);
    expect(analysis.frames[0]).toEqual({
      capturedAt: 1000,
      faces: 1,
      liveness: 8,
      realness: 0.9,
      yawDegrees: 1,
      pitchDegrees: 0.5,
      flash: null,
    });
    expect(analysis.frames[14]).toEqual({
      capturedAt: 3300,
      faces: 0,
      liveness: null,
      realness: null,
      yawDegrees: null,
      pitchDegrees: null,
      flash: null,
    });
    expect(analysis.frames[16]).toMatchObject({ faces: 2, liveness: -3, pitchDegrees: -6 });
    expect(analysis.frames.map((frame) => frame.flash)).toEqual([
      null,
      null,
      null,
      "#ff0000",
      "#ff0000",
      "#0000ff",
      "#0000ff",
      "#0000ff",
      "#00ff00",
      "#00ff00",
      "#00ff00",
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("carries the flash evaluator's own outcomes, with no response to the blue flash", () => {
    const result = assess("standard");
    const evaluated = evaluateFlashResponse(
      challenge.flashes,
      FLASHES_SHOWN_AT,
      frames.map((frame) => ({ capturedAt: frame.capturedAt, skin: frame.face?.skin ?? null })),
      { minRespondingFraction: DECISION_THRESHOLDS.standard.minFlashRespondingFraction },
    );
    expect(result.analysis.flashes).toEqual(
      evaluated.flashes.map((outcome, i) => ({
        colour: challenge.flashes[i]?.colour,
        shownAt: FLASHES_SHOWN_AT[i],
        durationMs: 400,
        response: outcome.shift * outcome.cosine,
        responded: outcome.responded,
      })),
    );
    expect(result.analysis.flashes.map((flash) => flash.responded)).toEqual([true, false, true]);
    const [red, blue] = result.analysis.flashes;
    expect(red?.response).toBeGreaterThan(FLASH_MIN_CHROMA_SHIFT);
    expect(Math.abs(blue?.response ?? Infinity)).toBeLessThan(FLASH_MIN_CHROMA_SHIFT);
    // One flash in three unanswered is under the 0.75 the standard policy asks for.
    expect(result.reasons).toContain("FLASH_RESPONSE_MISSING");
    expect(result.scores.flashRespondingFraction).toBeCloseTo(2 / 3, 10);
  });

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
      { direction: "left", shownAt: 2700, peakDegrees: 15, reached: true },
      { direction: "down", shownAt: 3500, peakDegrees: 6, reached: false },
    ]);
    expect(result.reasons).toContain("CHALLENGE_FAILED");
  });

  it("reports the thresholds of the session's policy", () => {
    for (const policy of ["standard", "high", "no-flash"] as const) {
      expect(assess(policy).analysis.thresholds).toEqual({
        liveness: DECISION_THRESHOLDS[policy].minMedianLiveness,
        realness: DECISION_THRESHOLDS[policy].minMedianRealness,
        flashResponse: FLASH_MIN_CHROMA_SHIFT,
        poseDegrees: { yaw: POSE_YAW_THRESHOLD_DEGREES, pitch: POSE_PITCH_THRESHOLD_DEGREES },
      });
    }
    // `high` needs two turned frames per prompt: the left turn still has them.
    expect(assess("high").analysis.poses[0]?.reached).toBe(true);
  });

  it("reports no flash under no-flash, where the flashes are not evaluated", () => {
    const { analysis } = assess("no-flash");
    expect(analysis.flashes).toEqual([]);
    expect(analysis.frames.every((frame) => frame.flash === null)).toBe(true);
  });

  it("shows a schedule the evaluators refuse as unmeasured and unanswered", () => {
    const { analysis } = assess("standard", { flashesShownAt: [1300], posesShownAt: [] });
    expect(analysis.flashes.map((f) => [f.shownAt, f.response, f.responded])).toEqual([
      [1300, null, false],
      [null, null, false],
      [null, null, false],
    ]);
    // Without a prompt time there is no frame before the first prompt, so no baseline.
    expect(analysis.poses).toEqual([
      { direction: "left", shownAt: null, peakDegrees: null, reached: false },
      { direction: "down", shownAt: null, peakDegrees: null, reached: false },
    ]);
  });

  it("is JSON-safe data the wire schema accepts", () => {
    const { analysis } = assess("standard", { flashesShownAt: [1300] });
    const wire: unknown = JSON.parse(JSON.stringify(analysis));
    expect(SessionAnalysis.parse(wire)).toEqual(analysis);
  });
});
