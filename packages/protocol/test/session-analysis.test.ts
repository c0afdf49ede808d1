import { describe, expect, it } from "vitest";
import { IlluminationStep, PROTOCOL_LIMITS, SessionAnalysis, SessionResult } from "../src/index.ts";

const rgb = [0.2, 0.1, 0.05];
const light = {
  forehead: rgb,
  nose: rgb,
  leftCheek: rgb,
  rightCheek: rgb,
  chin: rgb,
  background: null,
};
const frame = {
  capturedAt: 1_768_467_600_000,
  faces: 1,
  liveness: 7.5,
  realness: 0.8,
  passive: { "minifasnet-v2-se": 7.5, "silentface-minifasnet-v2": -1.2 },
  yawDegrees: -3,
  pitchDegrees: 2,
  illuminationStep: 1,
  light,
};
const step = {
  pattern: "left-right",
  colours: ["#ff0000", "#0000ff"],
  shownAt: 1_768_467_599_900,
  durationMs: 400,
  response: 0.06,
  sideContrast: { observed: 0.15, predicted: 0.19 },
};
const analysis = {
  frames: [
    frame,
    { ...frame, faces: 0, liveness: null, realness: null, illuminationStep: null, light: null },
  ],
  illumination: {
    steps: [
      step,
      {
        pattern: "full",
        colours: ["#000000", "#000000"],
        shownAt: null,
        durationMs: 400,
        response: null,
        sideContrast: null,
      },
    ],
    lagMs: 40,
    correlation: 0.95,
    shapeAgreement: 0.9,
    backgroundRatio: 0.05,
  },
  poses: [{ direction: "left", shownAt: null, peakDegrees: null, reached: false }],
  thresholds: {
    liveness: 0,
    realness: 0.2,
    passiveFused: -3.5,
    illumination: {
      minResponse: 0.02,
      minCorrelation: 0.5,
      lagMs: { min: -40, max: 120 },
      minShapeAgreement: 0.4,
      maxBackgroundRatio: 0.5,
    },
    poseDegrees: { yaw: 10, pitch: 7 },
  },
};
const result = {
  sessionId: "ses_AAAAAAAAAAAAAAAAAAAAAA",
  reference: null,
  status: "completed",
  decision: "pass",
  reasons: [],
  scores: {},
  verdict: "a.b.c",
  referenceImage: null,
  match: null,
  auditFrames: [],
};

describe("SessionAnalysis", () => {
  it("accepts the server's per-frame, per-step and per-prompt numbers, with nulls", () => {
    expect(SessionAnalysis.parse(analysis)).toEqual(analysis);
    expect(SessionAnalysis.parse({ ...analysis, illumination: null }).illumination).toBeNull();
  });

  it("is required in SessionResult and may be null", () => {
    expect(SessionResult.safeParse({ ...result, analysis }).success).toBe(true);
    expect(SessionResult.safeParse({ ...result, analysis: null }).success).toBe(true);
    expect(SessionResult.safeParse(result).success).toBe(false);
  });

  it("carries the reference image's kind and the face match, or null for each", () => {
    const match = { similarity: 0.78, threshold: 0.46, fmr: 0.01, decision: "match" };
    const withReference = {
      ...result,
      analysis,
      referenceImage: { kind: "document", attachedAt: 1_700_000_000_000 },
      match,
    };
    expect(SessionResult.parse(withReference).match).toEqual(match);
    expect(
      SessionResult.safeParse({ ...withReference, match: { ...match, similarity: null } }).success,
    ).toBe(true);
    // No face data ever rides along: unknown keys, other kinds and decisions are refused.
    for (const bad of [
      { ...withReference, match: { ...match, embedding: [0.1] } },
      { ...withReference, match: { ...match, decision: "maybe" } },
      { ...withReference, match: { ...match, fmr: 2 } },
      { ...withReference, referenceImage: { kind: "selfie", attachedAt: 0 } },
      { ...withReference, referenceImage: { kind: "document", attachedAt: 0, image: "…" } },
    ]) {
      expect(SessionResult.safeParse(bad).success).toBe(false);
    }
  });

  it("bounds its lists by the protocol limits", () => {
    const frames = Array.from({ length: PROTOCOL_LIMITS.maxFrames + 1 }, () => frame);
    expect(SessionAnalysis.safeParse({ ...analysis, frames: frames.slice(1) }).success).toBe(true);
    expect(SessionAnalysis.safeParse({ ...analysis, frames }).success).toBe(false);
    const steps = Array.from({ length: PROTOCOL_LIMITS.maxIlluminationSteps + 1 }, () => step);
    const illumination = { ...analysis.illumination, steps };
    expect(SessionAnalysis.safeParse({ ...analysis, illumination }).success).toBe(false);
    const poses = Array.from({ length: 7 }, () => analysis.poses[0]);
    expect(SessionAnalysis.safeParse({ ...analysis, poses }).success).toBe(false);
  });

  it.each([
    ["an unknown key", { ...analysis, extra: 1 }],
    ["a realness above 1", { ...analysis, frames: [{ ...frame, realness: 1.5 }] }],
    ["more than 16 faces", { ...analysis, frames: [{ ...frame, faces: 17 }] }],
    [
      "a colour no step uses",
      {
        ...analysis,
        illumination: {
          ...analysis.illumination,
          steps: [{ ...step, colours: ["#123456", "#0000ff"] }],
        },
      },
    ],
    [
      "a light of two channels",
      { ...analysis, frames: [{ ...frame, light: { ...light, nose: [0.1, 0.2] } }] },
    ],
    ["a step index past the limit", { ...analysis, frames: [{ ...frame, illuminationStep: 13 }] }],
    [
      "a passive score under a malformed model id",
      { ...analysis, frames: [{ ...frame, passive: { "Bad Id": 1 } }] },
    ],
    [
      "a non-finite passive score",
      { ...analysis, frames: [{ ...frame, passive: { "minifasnet-v2-se": Number.NaN } }] },
    ],
    ["a non-finite liveness", { ...analysis, frames: [{ ...frame, liveness: Number.NaN }] }],
    ["a fractional capture time", { ...analysis, frames: [{ ...frame, capturedAt: 1.5 }] }],
    [
      "an unknown pose direction",
      { ...analysis, poses: [{ ...analysis.poses[0], direction: "back" }] },
    ],
    ["a missing threshold", { ...analysis, thresholds: { liveness: 0, realness: 0.2 } }],
  ])("refuses %s", (_, value) => {
    expect(SessionAnalysis.safeParse(value).success).toBe(false);
  });
});

describe("IlluminationStep", () => {
  it.each([
    ["a full step", { pattern: "full", colours: ["#ff0000", "#ff0000"], durationMs: 400 }, true],
    ["a dark step", { pattern: "full", colours: ["#000000", "#000000"], durationMs: 300 }, true],
    ["a split", { pattern: "top-bottom", colours: ["#ff0000", "#00ff00"], durationMs: 650 }, true],
    [
      "a full step of two colours",
      { pattern: "full", colours: ["#ff0000", "#00ff00"], durationMs: 400 },
      false,
    ],
    [
      "a split of one colour",
      { pattern: "left-right", colours: ["#ff0000", "#ff0000"], durationMs: 400 },
      false,
    ],
    [
      "a step shorter than the flash-rate limit allows",
      { pattern: "full", colours: ["#ff0000", "#ff0000"], durationMs: 299 },
      false,
    ],
    [
      "an unknown pattern",
      { pattern: "diagonal", colours: ["#ff0000", "#00ff00"], durationMs: 400 },
      false,
    ],
  ])("%s is valid: %s", (_, value, valid) => {
    expect(IlluminationStep.safeParse(value).success).toBe(valid);
  });
});
