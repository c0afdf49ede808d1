import { ResultTokenClaims } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import { buildResultClaims, type ResultClaimsInput } from "../src/evidence/build-result-claims.ts";
import type { EvidenceFrame } from "../src/evidence/evidence-collector.ts";

function frame(capturedAt: number): EvidenceFrame {
  return {
    claim: {
      capturedAt,
      sha256: "a".repeat(64),
      width: 640,
      height: 480,
      scores: { faces: 1, liveness: 3, realness: 0.9 },
    },
    jpeg: new Uint8Array([1, 2, 3]),
  };
}

const input: ResultClaimsInput = {
  sessionId: "ses_AAAAAAAAAAAAAAAAAAAAAA",
  start: { nonce: "n".repeat(32) },
  nowMs: 1_700_000_000_999,
  frames: [frame(1_700_000_000_100), frame(1_700_000_000_200)],
  flashesShownAt: [1_700_000_000_150.4, 1_700_000_000_450.6],
  posesShownAt: [1_700_000_000_800.5],
  modelsHash: "b".repeat(64),
  virtualCameraLabel: false,
  customSource: true,
  framesSeenAt: [0, 33, 67, 100],
  implausibleTrackSettings: ["odd-size"],
};

describe("buildResultClaims", () => {
  it("builds claims the protocol accepts, valid for two minutes from now", () => {
    const claims = buildResultClaims(input);
    expect(ResultTokenClaims.parse(claims)).toEqual(claims);
    expect(claims.iat).toBe(1_700_000_000);
    expect(claims.exp).toBe(1_700_000_120);
    expect(claims.sid).toBe(input.sessionId);
    expect(claims.nonce).toBe(input.start.nonce);
    expect(claims.models).toBe(input.modelsHash);
  });

  it("lists the frames' claims in the collector's order and rounds the paint times", () => {
    const claims = buildResultClaims(input);
    expect(claims.frames.map((f) => f.capturedAt)).toEqual([1_700_000_000_100, 1_700_000_000_200]);
    expect(claims.frames[0]).toBe(input.frames[0]?.claim);
    expect(claims.flashesShownAt).toEqual([1_700_000_000_150, 1_700_000_000_451]);
    expect(claims.posesShownAt).toEqual([1_700_000_000_801]);
  });

  it("reports the injection signals, the frame-interval spread from the frames seen", () => {
    const { signals } = buildResultClaims(input);
    expect(signals.virtualCameraLabel).toBe(false);
    expect(signals.customSource).toBe(true);
    expect(signals.frameIntervalStdMs).toBeCloseTo(0.471, 3);
    expect(signals.implausibleTrackSettings).toEqual(["odd-size"]);
    expect(buildResultClaims({ ...input, framesSeenAt: [0, 33] }).signals.frameIntervalStdMs).toBe(
      null,
    );
  });
});
