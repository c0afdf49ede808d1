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
    const collector = new EvidenceCollector(
      { baseline: 1, "flash-0": 1 },
      {
        minFrames: 2,
        maxFrames: 24,
      },
    );
    collector.enter("flash-0");
    collector.add(frame(300));
    collector.add(frame(100, { faces: 1, liveness: 5, realness: 0.9 }));
    collector.add(frame(200));
    expect(times(collector)).toEqual([100, 200, 300]);
    expect(collector.frames[0]?.claim.scores).toEqual({ faces: 1, liveness: 5, realness: 0.9 });
  });

  it("ignores a second frame with the same capture time", () => {
    const collector = new EvidenceCollector({ baseline: 1 }, { minFrames: 1, maxFrames: 24 });
    collector.enter("baseline");
    collector.add(frame(100));
    collector.add(frame(100, { faces: 1, liveness: 1, realness: 0.5 }));
    expect(times(collector)).toEqual([100]);
    expect(collector.frames[0]?.claim.scores).toBeNull();
  });

  it("never holds more than maxFrames, late frames included", () => {
    const collector = new EvidenceCollector({ baseline: 1 }, { minFrames: 1, maxFrames: 3 });
    collector.enter("baseline");
    for (const at of [50, 40, 30, 20, 10]) collector.add(frame(at));
    expect(times(collector)).toEqual([30, 40, 50]);
  });

  it("spreads the budget over phases by share and stops wanting frames when a phase's is spent", () => {
    // 25 frames over 1 + 2 + 1 shares and the tail's one: 5 a share.
    const collector = new EvidenceCollector(
      { baseline: 1, "flash-0": 2, "pose-0": 1 },
      { minFrames: 4, maxFrames: 25 },
    );
    const fill = (phase: string, from: number): number => {
      collector.enter(phase, from);
      let kept = 0;
      while (collector.wants(from + kept)) collector.add(frame(from + kept++));
      return kept;
    };
    collector.enter("flash-0", 1000);
    expect(collector.wants(999)).toBe(false);
    expect(fill("flash-0", 1000)).toBe(10);
    expect(fill("baseline", 2000)).toBe(5);
    expect(fill("pose-0", 3000)).toBe(5);
    // A phase that was given no share collects nothing; the tail only up to the minimum.
    expect(fill("pose-9", 4000)).toBe(0);
    expect(fill("tail", 5000)).toBe(0);
    collector.enter(null);
    expect(collector.wants(6000)).toBe(false);
  });

  it("spreads a phase's frames over its time when it is told when the phase ends", () => {
    // 4 frames a phase over 1000–1400: from 1000, 1100, 1200 and 1300 on.
    const collector = new EvidenceCollector({ "flash-0": 1 }, { minFrames: 1, maxFrames: 8 });
    collector.enter("flash-0", Number.POSITIVE_INFINITY);
    collector.collectFrom(1000, 1400);
    const kept: number[] = [];
    for (let at = 990; at < 1500; at += 33) {
      if (!collector.wants(at)) continue;
      collector.add(frame(at));
      kept.push(at);
    }
    expect(kept).toEqual([1023, 1122, 1221, 1320]);
    // A frame missed (the page was busy until 1250) is made up by the next ones.
    const late = new EvidenceCollector({ "flash-0": 1 }, { minFrames: 1, maxFrames: 8 });
    late.enter("flash-0");
    late.collectFrom(1000, 1400);
    const caughtUp: number[] = [];
    for (const at of [1250, 1283, 1316, 1349]) {
      if (!late.wants(at)) continue;
      late.add(frame(at));
      caughtUp.push(at);
    }
    expect(caughtUp).toEqual([1250, 1283, 1316, 1349]);
  });

  it("gives every phase at least one frame when the budget is smaller than the shares", () => {
    const collector = new EvidenceCollector(
      { baseline: 1, "flash-0": 1, "flash-1": 1 },
      { minFrames: 1, maxFrames: 2 },
    );
    collector.enter("flash-1");
    expect(collector.wants(1)).toBe(true);
    collector.add(frame(1));
    expect(collector.wants(2)).toBe(false);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses a phase's share of %s",
    (share) => {
      expect(
        () =>
          new EvidenceCollector({ baseline: 1, "flash-0": share }, { minFrames: 1, maxFrames: 8 }),
      ).toThrow(/flash-0 needs a positive share/);
    },
  );
});
