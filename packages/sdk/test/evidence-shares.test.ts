import { PROTOCOL_LIMITS, type Challenge } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import { EvidenceCollector } from "../src/evidence/evidence-collector.ts";
import { evidenceShares, ILLUMINATION_STEP_SHARE } from "../src/evidence/evidence-shares.ts";

// A standard challenge's shape: eight illumination steps and two poses.
const STANDARD: Pick<Challenge, "flashes" | "poses"> = {
  flashes: Array.from({ length: 8 }, () => ({
    pattern: "full" as const,
    colours: ["#000000", "#000000"] as const,
    durationMs: 400,
  })),
  poses: [
    { direction: "left", holdMs: 1000 },
    { direction: "up", holdMs: 1000 },
  ],
};

describe("evidenceShares", () => {
  it("names every phase the SDK enters, the illumination steps with the larger share", () => {
    const shares = evidenceShares(STANDARD);
    expect(Object.keys(shares)).toEqual([
      "baseline",
      ...STANDARD.flashes.map((_, i) => `flash-${String(i)}`),
      ...STANDARD.poses.map((_, i) => `pose-${String(i)}`),
    ]);
    expect(shares["flash-0"]).toBe(ILLUMINATION_STEP_SHARE);
    expect(shares["pose-0"]).toBe(1);
  });

  it("gives a standard challenge six frames a step within the server's bound", () => {
    const collector = new EvidenceCollector(evidenceShares(STANDARD), {
      minFrames: 1,
      maxFrames: PROTOCOL_LIMITS.maxFrames,
    });
    collector.enter("flash-3", 0);
    let kept = 0;
    while (collector.wants(kept)) {
      collector.add({
        claim: { capturedAt: kept, sha256: "0".repeat(64), width: 4, height: 4, scores: null },
        jpeg: new Uint8Array([kept]),
      });
      kept++;
    }
    expect(STANDARD.flashes).toHaveLength(8);
    expect(kept).toBe(6);
  });
});
