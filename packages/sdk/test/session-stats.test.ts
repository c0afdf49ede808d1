import { describe, expect, it } from "vitest";
import { createSessionCounters, sessionStats } from "../src/session-stats.ts";

describe("sessionStats", () => {
  it("reports no means before the first frame", () => {
    const stats = sessionStats(createSessionCounters(), 0);
    expect(stats).toEqual({
      framesSeen: 0,
      framesAnalysed: 0,
      framesTracked: 0,
      framesDropped: 0,
      evidenceFrames: 0,
      executionProvider: null,
      webGpuUnavailable: null,
      meanAnalysisMs: null,
      virtualCameraLabel: false,
    });
  });

  it("turns totals into means and adds the worker's drops to the page's", () => {
    const counters = createSessionCounters();
    counters.framesSeen = 30;
    counters.framesAnalysed = 4;
    counters.analysisMsTotal = 100;
    counters.framesDropped = 3;
    counters.executionProvider = "wasm";
    counters.virtualCameraLabel = true;
    const stats = sessionStats(counters, 2);
    expect(stats.meanAnalysisMs).toBe(25);
    expect(stats.framesDropped).toBe(5);
    expect(stats.executionProvider).toBe("wasm");
    expect(stats.virtualCameraLabel).toBe(true);
  });

  it("is a snapshot: later counting does not change it", () => {
    const counters = createSessionCounters();
    const stats = sessionStats(counters, 0);
    counters.framesSeen++;
    expect(stats.framesSeen).toBe(0);
    expect(sessionStats(counters, 0).framesSeen).toBe(1);
  });
});
