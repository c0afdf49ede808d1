import { describe, expect, it } from "vitest";
import {
  PROTOCOL_LIMITS,
  RecordedSpecies,
  recordedFrameName,
  recordedFramesProblem,
  recordedSessionFolder,
  type ResultTokenClaims,
  type StartSessionResponse,
} from "../src/index.ts";

describe("recorded session names", () => {
  it("names frames with two digits, within the protocol's frame limit", () => {
    expect(recordedFrameName(0)).toBe("frame-00.jpg");
    expect(recordedFrameName(PROTOCOL_LIMITS.maxFrames - 1)).toBe(
      `frame-${PROTOCOL_LIMITS.maxFrames - 1}.jpg`,
    );
    for (const bad of [-1, 1.5, PROTOCOL_LIMITS.maxFrames]) {
      expect(() => recordedFrameName(bad)).toThrow(RangeError);
    }
  });

  it("puts bona fide sessions in bona-fide/<id> and attacks in attack/<species>/<id>", () => {
    expect(recordedSessionFolder({ kind: "bona-fide", species: "live" }, "ses_x")).toEqual([
      "bona-fide",
      "ses_x",
    ]);
    expect(recordedSessionFolder({ kind: "attack", species: "print" }, "ses_x")).toEqual([
      "attack",
      "print",
      "ses_x",
    ]);
  });

  it("only takes species that are safe folder names", () => {
    for (const good of ["print", "screen-replay", "a", "x2"]) {
      expect(RecordedSpecies.safeParse(good).success).toBe(true);
    }
    for (const bad of ["", "..", "a/b", "Print", "-x", "x-", "a b", "x".repeat(33)]) {
      expect(RecordedSpecies.safeParse(bad).success).toBe(false);
    }
  });
});

describe("recordedFramesProblem", () => {
  const jpeg = (fill: number): Uint8Array => new Uint8Array([0xff, 0xd8, 0xff, fill, 0xff, 0xd9]);
  // A stand-in hash: the check only compares what it is given.
  const hash = (bytes: Uint8Array): string => String(bytes[3]).padStart(64, "0");
  const claim = (fill: number): ResultTokenClaims["frames"][number] => ({
    capturedAt: 1,
    sha256: hash(jpeg(fill)),
    width: 1,
    height: 1,
    scores: null,
  });
  const start = {
    evidence: { minFrames: 1, maxFrames: 4, maxFrameBytes: 8, maxFramePixels: 1 },
  } as StartSessionResponse;
  const session = (fills: number[]) => ({
    start,
    claims: { frames: fills.map(claim) } as unknown as ResultTokenClaims,
  });

  it("accepts one complete JPEG per claim with the claimed hash", () => {
    expect(recordedFramesProblem(session([1, 2]), [jpeg(1), jpeg(2)], hash)).toBeNull();
  });

  it("names the first problem", () => {
    expect(recordedFramesProblem(session([1, 2]), [jpeg(1)], hash)).toBe(
      "1 frames for 2 frame claims",
    );
    expect(recordedFramesProblem(session([1]), [new Uint8Array(9).fill(0xff)], hash)).toBe(
      "frame-00.jpg is larger than 8 bytes",
    );
    expect(recordedFramesProblem(session([1]), [jpeg(1).subarray(0, 5)], hash)).toBe(
      "frame-00.jpg is not a complete JPEG",
    );
    expect(recordedFramesProblem(session([1, 2]), [jpeg(1), jpeg(3)], hash)).toBe(
      "frame-01.jpg does not match its SHA-256 claim",
    );
  });
});
