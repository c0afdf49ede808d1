import type { FrameClaim } from "@lumen/protocol";
import { describe, expect, it } from "vitest";
import { EvidenceCollector, type EvidenceFrame } from "../src/evidence/evidence-collector.ts";

function frame(capturedAt: number, scores: FrameClaim["scores"] = null): EvidenceFrame {
  return {
    claim: { capturedAt, sha256: "0".repeat(64), width: 4, height: 4, scores },
    jpeg: new Uint8Array([capturedAt % 256]),
  };
}

const times = (collector: EvidenceCollector): number[] =>
  collector.frames.map((f) => f.claim.capturedAt);

describe("EvidenceCollector", () => {
  it("keeps frames in capture order when one arrives late", () => {
    const collector = new EvidenceCollector(["baseline", "flash-0"], {
      minFrames: 2,
      maxFrames: 24,
    });
    collector.enter("flash-0");
    collector.add(frame(300));
    collector.add(frame(100, { faces: 1, liveness: 5, realness: 0.9 }));
    collector.add(frame(200));
    expect(times(collector)).toEqual([100, 200, 300]);
    expect(collector.frames[0]?.claim.scores).toEqual({ faces: 1, liveness: 5, realness: 0.9 });
  });

  it("ignores a second frame with the same capture time", () => {
    const collector = new EvidenceCollector(["baseline"], { minFrames: 1, maxFrames: 24 });
    collector.enter("baseline");
    collector.add(frame(100));
    collector.add(frame(100, { faces: 1, liveness: 1, realness: 0.5 }));
    expect(times(collector)).toEqual([100]);
    expect(collector.frames[0]?.claim.scores).toBeNull();
  });

  it("never holds more than maxFrames, late frames included", () => {
    const collector = new EvidenceCollector(["baseline"], { minFrames: 1, maxFrames: 3 });
    collector.enter("baseline");
    for (const at of [50, 40, 30, 20, 10]) collector.add(frame(at));
    expect(times(collector)).toEqual([30, 40, 50]);
  });

  it("spreads the budget over phases and stops wanting frames when a phase's share is spent", () => {
    // 24 frames over 3 phases and a tail: 6 per phase.
    const collector = new EvidenceCollector(["baseline", "flash-0", "pose-0"], {
      minFrames: 4,
      maxFrames: 24,
    });
    collector.enter("flash-0", 1000);
    expect(collector.wants(999)).toBe(false);
    for (let i = 0; i < 6; i++) {
      expect(collector.wants(1000 + i)).toBe(true);
      collector.add(frame(1000 + i));
    }
    expect(collector.wants(2000)).toBe(false);
    collector.enter(null);
    expect(collector.wants(3000)).toBe(false);
  });
});
