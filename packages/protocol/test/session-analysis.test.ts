import { describe, expect, it } from "vitest";
import { PROTOCOL_LIMITS, SessionAnalysis, SessionResult } from "../src/index.ts";

const frame = {
  capturedAt: 1_768_467_600_000,
  faces: 1,
  liveness: 7.5,
  realness: 0.8,
  yawDegrees: -3,
  pitchDegrees: 2,
  flash: "#ff0000",
};
const analysis = {
  frames: [frame, { ...frame, faces: 0, liveness: null, realness: null, flash: null }],
  flashes: [
    {
      colour: "#ff0000",
      shownAt: 1_768_467_599_900,
      durationMs: 400,
      response: 0.06,
      responded: true,
    },
    { colour: "#0000ff", shownAt: null, durationMs: 400, response: null, responded: false },
  ],
  poses: [{ direction: "left", shownAt: null, peakDegrees: null, reached: false }],
  thresholds: {
    liveness: 0,
    realness: 0.2,
    flashResponse: 0.02,
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
  auditFrames: [],
};

describe("SessionAnalysis", () => {
  it("accepts the server's per-frame, per-flash and per-prompt numbers, with nulls", () => {
    expect(SessionAnalysis.parse(analysis)).toEqual(analysis);
  });

  it("is required in SessionResult and may be null", () => {
    expect(SessionResult.safeParse({ ...result, analysis }).success).toBe(true);
    expect(SessionResult.safeParse({ ...result, analysis: null }).success).toBe(true);
    expect(SessionResult.safeParse(result).success).toBe(false);
  });

  it("bounds its lists by the protocol limits", () => {
    const frames = Array.from({ length: PROTOCOL_LIMITS.maxFrames + 1 }, () => frame);
    expect(SessionAnalysis.safeParse({ ...analysis, frames: frames.slice(1) }).success).toBe(true);
    expect(SessionAnalysis.safeParse({ ...analysis, frames }).success).toBe(false);
    const flashes = Array.from({ length: 13 }, () => analysis.flashes[0]);
    expect(SessionAnalysis.safeParse({ ...analysis, flashes }).success).toBe(false);
    const poses = Array.from({ length: 7 }, () => analysis.poses[0]);
    expect(SessionAnalysis.safeParse({ ...analysis, poses }).success).toBe(false);
  });

  it.each([
    ["an unknown key", { ...analysis, extra: 1 }],
    ["a realness above 1", { ...analysis, frames: [{ ...frame, realness: 1.5 }] }],
    ["more than 16 faces", { ...analysis, frames: [{ ...frame, faces: 17 }] }],
    ["a colour no flash uses", { ...analysis, frames: [{ ...frame, flash: "#123456" }] }],
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
