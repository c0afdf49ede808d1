import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ResultTokenClaims, type FrameClaim } from "../src/index.ts";

const frame: FrameClaim = {
  capturedAt: 1_700_000_000_000,
  sha256: "0123456789abcdef".repeat(4),
  width: 640,
  height: 480,
  scores: { faces: 1, liveness: 2.5, realness: 0.9 },
};

const claims: ResultTokenClaims = {
  sid: "ses_0123456789abcdefghijkl",
  nonce: "n".repeat(22),
  iat: 1_700_000_000,
  exp: 1_700_000_060,
  frames: [frame, frame],
  flashesShownAt: [1_700_000_000_100],
  posesShownAt: [1_700_000_000_200],
  models: "f".repeat(64),
  signals: { virtualCameraLabel: false, customSource: false, frameIntervalStdMs: 4 },
};

/** `claims` with the second frame's `[field]` or `["scores", field]` set to `value`. */
function withFrameField(path: readonly string[], value: unknown): unknown {
  const [field = "", scoreField] = path;
  const second =
    scoreField === undefined
      ? { ...frame, [field]: value }
      : { ...frame, scores: { ...frame.scores, [scoreField]: value } };
  return { ...claims, frames: [frame, second] };
}

/** The path of every issue of parsing `input`, dotted; none when it parses. */
function issuePaths(input: unknown): string[] {
  const parsed = ResultTokenClaims.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join("."));
}

describe("ResultTokenClaims: each number's integer and range bounds", () => {
  it("accepts a token at every bound", () => {
    const edges = {
      ...claims,
      iat: 0,
      exp: Number.MAX_SAFE_INTEGER,
      frames: [
        {
          capturedAt: 0,
          sha256: "0".repeat(64),
          width: 1,
          height: 8192,
          scores: { faces: 0, liveness: -1000, realness: 0 },
        },
        {
          capturedAt: 8.64e15,
          sha256: "f".repeat(64),
          width: 8192,
          height: 1,
          scores: { faces: 16, liveness: 1000, realness: 1 },
        },
        { ...frame, scores: { faces: 1, liveness: null, realness: null } },
        { ...frame, scores: null },
      ],
      flashesShownAt: [0, 8.64e15],
      signals: { ...claims.signals, frameIntervalStdMs: 10_000 },
    };
    expect(ResultTokenClaims.parse(edges)).toEqual(edges);
    expect(
      issuePaths({ ...claims, signals: { ...claims.signals, frameIntervalStdMs: 0 } }),
    ).toEqual([]);
    expect(
      issuePaths({ ...claims, signals: { ...claims.signals, frameIntervalStdMs: null } }),
    ).toEqual([]);
  });

  it.each([
    [["width"], 640.5],
    [["width"], 0],
    [["width"], 8193],
    [["width"], -1],
    [["height"], 0.5],
    [["height"], 0],
    [["height"], 8193],
    [["capturedAt"], -1],
    [["capturedAt"], 1.5],
    [["capturedAt"], 8.64e15 + 1],
    [["scores", "faces"], -1],
    [["scores", "faces"], 17],
    [["scores", "faces"], 1.5],
    [["scores", "liveness"], 1000.5],
    [["scores", "liveness"], -1000.5],
    [["scores", "realness"], 1.5],
    [["scores", "realness"], -0.01],
  ])("refuses a frame's %j of %d, naming the field", (path, value) => {
    expect(issuePaths(withFrameField(path, value))).toEqual([["frames", 1, ...path].join(".")]);
  });

  it.each([
    ["iat", -1],
    ["iat", 1.5],
    ["iat", Number.MAX_SAFE_INTEGER + 1],
    ["exp", -1],
    ["exp", 1_700_000_060.5],
    ["exp", 2 ** 53],
  ])("refuses %s of %d", (field, value) => {
    expect(issuePaths({ ...claims, [field]: value })).toEqual([field]);
  });

  it("refuses a shown-at time out of range or not an integer, naming its index", () => {
    expect(issuePaths({ ...claims, flashesShownAt: [0, -1] })).toEqual(["flashesShownAt.1"]);
    expect(issuePaths({ ...claims, posesShownAt: [1.5] })).toEqual(["posesShownAt.0"]);
    expect(issuePaths({ ...claims, posesShownAt: [8.64e15 + 1] })).toEqual(["posesShownAt.0"]);
  });

  it("refuses a frame-interval spread out of range", () => {
    for (const frameIntervalStdMs of [-0.5, 10_000.5]) {
      expect(issuePaths({ ...claims, signals: { ...claims.signals, frameIntervalStdMs } })).toEqual(
        ["signals.frameIntervalStdMs"],
      );
    }
  });

  it("still refuses what is not a finite number, with zod's own type issue", () => {
    for (const value of ["640", null, Number.NaN, Number.POSITIVE_INFINITY, 10n]) {
      const parsed = ResultTokenClaims.safeParse(withFrameField(["width"], value));
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.code)).toEqual([
        "invalid_type",
      ]);
    }
    expect(issuePaths(withFrameField(["scores", "liveness"], Number.NaN))).toEqual([
      "frames.1.scores.liveness",
    ]);
  });

  it("says what the bound is", () => {
    const parsed = ResultTokenClaims.safeParse(withFrameField(["width"], 8193));
    expect(parsed.success ? "" : z.prettifyError(parsed.error)).toContain(
      "must be an integer from 1 to 8192",
    );
  });
});

describe("ResultTokenClaims: the same numbers as zod's int/min/max chains", () => {
  /** The v1 bounds as zod's chained checks spell them: what the folded checks must match. */
  const chained = {
    capturedAt: z.number().int().min(0).max(8.64e15),
    width: z.number().int().min(1).max(8192),
    faces: z.number().int().min(0).max(16),
    liveness: z.number().min(-1000).max(1000).nullable(),
    realness: z.number().min(0).max(1).nullable(),
    iat: z.number().int().min(0),
  };
  const edges = [0, 1, 16, 1000, 8192, 10_000, 8.64e15, Number.MAX_SAFE_INTEGER];
  const values: unknown[] = [
    ...edges.flatMap((edge) =>
      [edge, -edge].flatMap((e) => [e - 1, e - 0.5, e - 1e-9, e, e + 1e-9, e + 0.5, e + 1]),
    ),
    -0,
    1e-9,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    "1",
    null,
    true,
    undefined,
    10n,
  ];
  const asFrameField: Record<keyof typeof chained, readonly string[] | null> = {
    capturedAt: ["capturedAt"],
    width: ["width"],
    faces: ["scores", "faces"],
    liveness: ["scores", "liveness"],
    realness: ["scores", "realness"],
    iat: null,
  };

  it.each(Object.keys(chained) as (keyof typeof chained)[])(
    "%s: accepts and refuses the same values",
    (field) => {
      const path = asFrameField[field];
      for (const value of values) {
        const folded = ResultTokenClaims.safeParse(
          path ? withFrameField(path, value) : { ...claims, [field]: value },
        ).success;
        expect([value, folded]).toEqual([value, chained[field].safeParse(value).success]);
      }
    },
  );
});

describe("ResultTokenClaims: SHA-256 digests", () => {
  it.each([
    ["63 digits", "a".repeat(63)],
    ["65 digits", "a".repeat(65)],
    ["uppercase", "A".repeat(64)],
    ["a non-hex letter", "g" + "a".repeat(63)],
    ["a trailing newline", "a".repeat(64) + "\n"],
    ["an empty string", ""],
  ])("refuses %s in a frame's sha256 and in models", (_, digest) => {
    expect(issuePaths(withFrameField(["sha256"], digest))).toEqual(["frames.1.sha256"]);
    expect(issuePaths({ ...claims, models: digest })).toEqual(["models"]);
  });
});

describe("ResultTokenClaims: strictness", () => {
  it("still refuses unknown keys at every level", () => {
    expect(issuePaths({ ...claims, extra: 1 })).toEqual([""]);
    expect(issuePaths(withFrameField(["extra"], 1))).toEqual(["frames.1"]);
    expect(issuePaths(withFrameField(["scores", "extra"], 1))).toEqual(["frames.1.scores"]);
  });
});

describe("ResultTokenClaims: JSON Schema", () => {
  it("keeps each folded bound, the integer types and the digest pattern", () => {
    const integer = (minimum: number, maximum: number) => ({ type: "integer", minimum, maximum });
    const nullableNumber = (minimum: number, maximum: number) => ({
      anyOf: [{ type: "number", minimum, maximum }, { type: "null" }],
    });
    const sha256 = { type: "string", pattern: "^[0-9a-f]{64}$" };
    expect(z.toJSONSchema(ResultTokenClaims, { io: "input" })).toMatchObject({
      properties: {
        iat: integer(0, Number.MAX_SAFE_INTEGER),
        exp: integer(0, Number.MAX_SAFE_INTEGER),
        frames: {
          items: {
            properties: {
              capturedAt: integer(0, 8.64e15),
              sha256,
              width: integer(1, 8192),
              height: integer(1, 8192),
              scores: {
                anyOf: [
                  {
                    properties: {
                      faces: integer(0, 16),
                      liveness: nullableNumber(-1000, 1000),
                      realness: nullableNumber(0, 1),
                    },
                    additionalProperties: false,
                  },
                  { type: "null" },
                ],
              },
            },
            additionalProperties: false,
          },
        },
        flashesShownAt: { items: integer(0, 8.64e15) },
        posesShownAt: { items: integer(0, 8.64e15) },
        models: sha256,
        signals: { properties: { frameIntervalStdMs: nullableNumber(0, 10_000) } },
      },
      additionalProperties: false,
    });
  });
});
