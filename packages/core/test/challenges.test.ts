import { describe, expect, it } from "vitest";
import type { CaptureFacts, ResultTokenClaims } from "@lumen/protocol";
import {
  decide,
  DECISION_THRESHOLDS,
  PASSIVE_FUSION,
  estimateHeadPose,
  evaluateFaceConsistency,
  extendPassiveFusion,
  evaluateFaceMatch,
  evaluatePoseSequence,
  FACE_IDENTITY_MAX_STEP,
  FACE_MATCH_AT_FMR_1_PERCENT,
  meanEmbedding,
  type DecisionInput,
  type FaceEvidence,
  type FrameEvidence,
  type HeadPose,
  type IlluminationResult,
} from "../src/index.ts";
import { nudged, PERSON_A, PERSON_B } from "./support/face-embeddings.ts";
import { ATTACK_PASSIVE, BONA_FIDE_PASSIVE } from "./support/passive-scores.ts";

const pose = (yawDegrees: number, pitchDegrees = 0): HeadPose => ({
  yawDegrees,
  pitchDegrees,
  rollDegrees: 0,
});

describe("estimateHeadPose", () => {
  // A flat synthetic mesh: only the landmarks the estimate reads are placed.
  function mesh(yawDegrees: number): Float32Array {
    const points = new Float32Array(468 * 3);
    const a = (yawDegrees * Math.PI) / 180;
    const put = (i: number, x: number, y: number, z: number) => {
      points.set([x * Math.cos(a) - z * Math.sin(a), y, x * Math.sin(a) + z * Math.cos(a)], i * 3);
    };
    put(33, -30, 0, 0);
    put(263, 30, 0, 0);
    put(234, -50, 10, 20);
    put(454, 50, 10, 20);
    put(10, 0, -60, 0);
    put(168, 0, -10, 0);
    put(152, 0, 80, 0);
    return points;
  }

  it("reads a rotation about the vertical axis as yaw, towards +x as positive", () => {
    expect(estimateHeadPose(mesh(0)).yawDegrees).toBeCloseTo(0, 5);
    expect(estimateHeadPose(mesh(20)).yawDegrees).toBeCloseTo(20, 0);
    expect(estimateHeadPose(mesh(-15)).yawDegrees).toBeCloseTo(-15, 0);
  });

  it("refuses a mesh without 468 landmarks", () => {
    expect(() => estimateHeadPose(new Float32Array(30))).toThrow(RangeError);
  });
});

describe("evaluatePoseSequence", () => {
  const prompts = [
    { direction: "left", holdMs: 500 },
    { direction: "up", holdMs: 500 },
  ] as const;
  const frames = [
    { capturedAt: 0, pose: pose(1, -5) },
    { capturedAt: 100, pose: pose(-1, -5) },
    { capturedAt: 1200, pose: pose(14, -5) },
    { capturedAt: 2200, pose: pose(0, 4) },
  ];

  it("follows prompts turned past the threshold from the baseline", () => {
    const result = evaluatePoseSequence(prompts, [1000, 2000], frames);
    expect(result.passed).toBe(true);
    expect(result.baseline).toEqual({ yawDegrees: 0, pitchDegrees: -5 });
    expect(result.prompts.map((p) => Math.round(p.peakDegrees))).toEqual([14, 9]);
  });

  it("fails a turn the wrong way, a turn outside its window and a missing baseline", () => {
    expect(evaluatePoseSequence([{ direction: "right", holdMs: 500 }], [1000], frames).passed).toBe(
      false,
    );
    expect(evaluatePoseSequence(prompts, [1000, 1100], frames).prompts[0]?.followed).toBe(false);
    expect(evaluatePoseSequence(prompts, [-1, 2000], frames).passed).toBe(false);
    expect(evaluatePoseSequence(prompts, [1000], frames).passed).toBe(false);
  });
});

function face(overrides: Partial<FaceEvidence> = {}): FaceEvidence {
  return {
    box: { x: 100, y: 100, width: 200, height: 240 },
    detectionScore: 0.9,
    liveness: 10,
    realness: 0.9,
    passive: BONA_FIDE_PASSIVE,
    pose: pose(0),
    light: null,
    embedding: PERSON_A,
    luma: 110,
    sharpness: 6,
    faceSize: 0.45,
    ...overrides,
  };
}

function session(
  count: number,
  f: (i: number) => Partial<FaceEvidence> | null = () => ({}),
): FrameEvidence[] {
  return Array.from({ length: count }, (_, i) => {
    const o = f(i);
    return { capturedAt: 1000 + i * 100, faceCount: o ? 1 : 0, face: o ? face(o) : null };
  });
}

describe("evaluateFaceConsistency", () => {
  it("accepts a steady face and flags another person or a box step", () => {
    expect(evaluateFaceConsistency(session(8)).sameFace).toBe(true);
    const swapped = session(8, (i) => (i < 4 ? {} : { embedding: PERSON_B }));
    const result = evaluateFaceConsistency(swapped);
    expect(result.identityStep).toBeCloseTo(Math.SQRT1_2, 5);
    expect(result.sameFace).toBe(false);
    const moved = session(8, (i) =>
      i === 4 ? { box: { x: 300, y: 100, width: 200, height: 240 } } : {},
    );
    expect(evaluateFaceConsistency(moved).sameFace).toBe(false);
  });

  it("measures the step between the means on each side of the worst split", () => {
    // A step of 0.6 in the last three frames reads 0.6 at the split that isolates it.
    const turning = session(8, (i) => ({ embedding: nudged(PERSON_A, i < 5 ? 0 : 0.6) }));
    const result = evaluateFaceConsistency(turning);
    expect(result.identityStep).toBeCloseTo(0.6, 5);
    expect(result.sameFace).toBe(false);
    const single = session(8, (i) => ({ embedding: nudged(PERSON_A, i === 7 ? 0.6 : 0) }));
    // One odd frame is averaged with the two before it: a third of its distance.
    expect(evaluateFaceConsistency(single).identityStep).toBeCloseTo(0.2, 5);
    expect(evaluateFaceConsistency(single).sameFace).toBe(true);
    expect(evaluateFaceConsistency(turning, { maxIdentityStep: 0.61 }).sameFace).toBe(true);
    // The bound in force lies between a third of that step and the whole of it.
    expect(FACE_IDENTITY_MAX_STEP).toBeGreaterThan(0.2);
    expect(FACE_IDENTITY_MAX_STEP).toBeLessThan(0.6);
  });

  it("fails closed when a face has no embedding, and judges no split under six faces", () => {
    const unjudged = evaluateFaceConsistency(
      session(8, (i) => (i === 2 ? { embedding: null } : {})),
    );
    expect(unjudged.identityStep).toBeNaN();
    expect(unjudged.sameFace).toBe(false);
    const short = evaluateFaceConsistency(
      session(5, (i) => (i < 2 ? {} : { embedding: PERSON_B })),
    );
    expect(short.identityStep).toBe(0);
  });
});

describe("evaluateFaceMatch", () => {
  const threshold = { maxDistance: 0.5, fmr: 0.01 };

  it("matches the mean of the most frontal frames against the reference", () => {
    // Frontal frames read PERSON_A 0.3 off; turned ones are another person entirely: only the
    // five most frontal count.
    const frames = session(9, (i) =>
      i % 3 === 0
        ? { pose: pose(40), embedding: PERSON_B }
        : { pose: pose(i), embedding: nudged(PERSON_A, 0.3) },
    );
    const match = evaluateFaceMatch(frames, PERSON_A, threshold);
    expect(match.similarity).toBeCloseTo(0.7, 5);
    expect(match).toMatchObject({ threshold: 0.5, fmr: 0.01, decision: "match" });
    expect(evaluateFaceMatch(frames, PERSON_B, threshold)).toMatchObject({ decision: "mismatch" });
    const similarity = evaluateFaceMatch(frames, PERSON_B, threshold).similarity ?? 1;
    expect(similarity).toBeLessThan(0.5);
  });

  it("is a mismatch at exactly the bound's far side and a match on it", () => {
    const frames = session(6, () => ({ embedding: nudged(PERSON_A, 0.5) }));
    expect(evaluateFaceMatch(frames, PERSON_A, threshold).decision).toBe("match");
    expect(evaluateFaceMatch(frames, PERSON_A, { ...threshold, maxDistance: 0.49 }).decision).toBe(
      "mismatch",
    );
  });

  it("fails closed without a face to compare", () => {
    const frames = session(4, () => null);
    expect(evaluateFaceMatch(frames, PERSON_A, threshold)).toEqual({
      similarity: null,
      threshold: 0.5,
      fmr: 0.01,
      decision: "mismatch",
    });
  });

  it("refuses a reference embedding of the wrong length", () => {
    expect(() => evaluateFaceMatch(session(3), new Float32Array(3), threshold)).toThrow(RangeError);
  });
});

describe("meanEmbedding", () => {
  it("averages element-wise and refuses nothing or the wrong length", () => {
    expect(Array.from(meanEmbedding([PERSON_A, PERSON_B]).slice(0, 2))).toEqual([0.25, 0.25]);
    expect(() => meanEmbedding([])).toThrow(RangeError);
    expect(() => meanEmbedding([new Float32Array(4)])).toThrow(RangeError);
  });
});

describe("decide", () => {
  const capture: CaptureFacts = {
    cameraLabel: "cam",
    userAgent: "ua",
    trackSettings: {},
    customSource: false,
  };
  const signals: ResultTokenClaims["signals"] = {
    virtualCameraLabel: false,
    customSource: false,
    frameIntervalStdMs: 2,
  };
  const passedPose = { passed: true, baseline: null, prompts: [], score: 1 };
  const passedIllumination: IlluminationResult = {
    passed: true,
    reasons: [],
    lagMs: 40,
    correlation: 0.95,
    meanResponse: 0.2,
    shapeAgreement: 1.1,
    backgroundRatio: 0.05,
    steps: [],
    frameSteps: [],
  };
  function run(
    over: Partial<DecisionInput> = {},
    policy: keyof typeof DECISION_THRESHOLDS = "standard",
    fusion = PASSIVE_FUSION,
  ) {
    const frames = over.frames ?? session(8);
    const input: DecisionInput = {
      frames,
      claimedScores: frames.map(() => null),
      pose: passedPose,
      illumination: passedIllumination,
      consistency: evaluateFaceConsistency(frames),
      match: null,
      capture,
      signals,
      ...over,
    };
    return decide(input, DECISION_THRESHOLDS[policy], fusion);
  }

  it("passes clean evidence", () => {
    expect(run()).toMatchObject({ decision: "pass", reasons: [] });
  });

  it("reports the fused passive score and holds each policy to its operating point", () => {
    const fused = run().scores.passiveFused;
    expect(fused).toBeGreaterThan(DECISION_THRESHOLDS.standard.passiveFusion.threshold);
    // Just below `high`'s threshold (stricter than `standard`'s), with liveness still high.
    const { features, weights, stds } = PASSIVE_FUSION;
    const target = DECISION_THRESHOLDS.high.passiveFusion.threshold - 0.01;
    const shift = ((fused ?? 0) - target) / (weights[0] ?? 1);
    const passive = { ...BONA_FIDE_PASSIVE };
    passive[features[0] ?? ""] = (passive[features[0] ?? ""] ?? 0) - shift * (stds[0] ?? 1);
    const frames = session(8, () => ({ passive }));
    expect(run({ frames }, "high").scores.passiveFused).toBeCloseTo(target, 6);
    expect(run({ frames }, "high").reasons).toContain("SPOOF_SUSPECTED");
    expect(run({ frames }, "standard").reasons).not.toContain("SPOOF_SUSPECTED");
  });

  it("applies the fusion it is given: an operator's term moves the score, a missing score fails", () => {
    const fused = run().scores.passiveFused ?? Number.NaN;
    const fusion = extendPassiveFusion(PASSIVE_FUSION, [
      { feature: "bank-pad", weight: 2, mean: 1, std: 0.5 },
    ]);
    const frames = session(8, () => ({ passive: { ...BONA_FIDE_PASSIVE, "bank-pad": 3 } }));
    const extended = run({ frames }, "standard", fusion);
    expect(extended.scores.passiveFused).toBeCloseTo(fused + (2 * (3 - 1)) / 0.5, 9);
    expect(extended.decision).toBe("pass");
    // Frames the operator's model did not score: the extended fusion cannot judge them.
    expect(run({}, "standard", fusion).reasons).toContain("SPOOF_SUSPECTED");
  });

  it("reports the illumination numbers it measured as scores, and fails every reason given", () => {
    expect(run().scores).toMatchObject({
      illuminationLagMs: 40,
      illuminationCorrelation: 0.95,
      illuminationResponse: 0.2,
      shapeAgreement: 1.1,
      backgroundRatio: 0.05,
    });
    const unmeasured = run({
      illumination: { ...passedIllumination, backgroundRatio: Number.NaN },
    });
    expect(unmeasured.scores).not.toHaveProperty("backgroundRatio");
    const failed = run({
      illumination: {
        ...passedIllumination,
        passed: false,
        reasons: ["REFLECTION_TIMING", "REFLECTION_UNIFORM"],
      },
    });
    expect(failed.decision).toBe("fail");
    expect(failed.reasons).toEqual(["REFLECTION_TIMING", "REFLECTION_UNIFORM"]);
    expect(run({ illumination: null }).scores).not.toHaveProperty("illuminationLagMs");
  });

  it.each([
    ["SPOOF_SUSPECTED", { frames: session(8, () => ({ liveness: -6 })) }],
    ["SPOOF_SUSPECTED", { frames: session(8, () => ({ passive: ATTACK_PASSIVE })) }],
    // A passive model that scored no frame: the fusion cannot judge, so it fails closed.
    ["SPOOF_SUSPECTED", { frames: session(8, () => ({ passive: {} })) }],
    ["NO_FACE", { frames: session(8, () => null) }],
    ["NO_FACE", { frames: session(8, (i) => (i < 2 ? null : {})) }],
    ["LOW_QUALITY", { frames: session(8, () => ({ luma: 20 })) }],
    ["LOW_QUALITY", { frames: session(8, () => ({ sharpness: 0.5 })) }],
    ["LOW_QUALITY", { frames: session(8, () => ({ faceSize: 0.1 })) }],
    ["CHALLENGE_FAILED", { pose: { ...passedPose, passed: false, score: 0 } }],
    [
      "FLASH_RESPONSE_MISSING",
      { illumination: { ...passedIllumination, passed: false, reasons: [] } },
    ],
    [
      "REFLECTION_NOT_3D",
      {
        illumination: {
          ...passedIllumination,
          passed: false,
          reasons: ["REFLECTION_NOT_3D", "REFLECTION_UNIFORM"],
        },
      },
    ],
    ["INJECTION_SUSPECTED", { signals: { ...signals, frameIntervalStdMs: 0 } }],
    ["INJECTION_SUSPECTED", { frames: session(8).map((f, i) => ({ ...f, capturedAt: 1000 + i })) }],
  ] as const)("fails with %s", (reason, over) => {
    const result = run(over);
    expect(result.decision).toBe("fail");
    expect(result.reasons).toContain(reason);
  });

  it("fails with MULTIPLE_FACES and FACE_CHANGED", () => {
    const frames = session(8).map((f, i) => ({ ...f, faceCount: i === 3 ? 2 : 1 }));
    expect(run({ frames }).reasons).toContain("MULTIPLE_FACES");
    const swapped = session(8, (i) => (i < 4 ? {} : { embedding: PERSON_B }));
    expect(run({ frames: swapped }).reasons).toContain("FACE_CHANGED");
  });

  it("fails with FACE_MISMATCH when the live face is not the reference's", () => {
    const frames = session(8);
    const same = evaluateFaceMatch(frames, PERSON_A, FACE_MATCH_AT_FMR_1_PERCENT);
    expect(run({ frames, match: same })).toMatchObject({ decision: "pass", reasons: [] });
    expect(run({ frames, match: same }).scores.faceMatchSimilarity).toBeCloseTo(1, 5);
    const other = evaluateFaceMatch(frames, PERSON_B, FACE_MATCH_AT_FMR_1_PERCENT);
    expect(run({ frames, match: other })).toMatchObject({
      decision: "fail",
      reasons: ["FACE_MISMATCH"],
    });
  });

  it("fails with CLIENT_TAMPERED when the SDK's scores disagree with the server's", () => {
    const frames = session(8, () => ({ liveness: -5 }));
    const claimedScores = frames.map(() => ({ faces: 1, liveness: 9, realness: 0.9 }));
    expect(run({ frames, claimedScores }).reasons).toContain("CLIENT_TAMPERED");
    const phantom = session(8, () => null);
    expect(run({ frames: phantom, claimedScores }).reasons).toContain("CLIENT_TAMPERED");
    const honest = session(8).map(() => ({ faces: 1, liveness: 10.5, realness: 0.88 }));
    expect(run({ claimedScores: honest }).decision).toBe("pass");
  });

  it("asks for review on doubtful signals under standard and fails them under high", () => {
    const weak = { frames: session(8, () => ({ realness: 0.05 })) };
    expect(run(weak)).toMatchObject({ decision: "review", reasons: ["DEEPFAKE_SUSPECTED"] });
    expect(run(weak, "high").decision).toBe("fail");
    const virtual = { signals: { ...signals, virtualCameraLabel: true } };
    expect(run(virtual)).toMatchObject({ decision: "review", reasons: ["INJECTION_SUSPECTED"] });
    expect(run(virtual, "high").decision).toBe("fail");
    const custom = { capture: { ...capture, customSource: true } };
    expect(run(custom).decision).toBe("pass");
    expect(run(custom, "high").reasons).toContain("INJECTION_SUSPECTED");
  });
});
