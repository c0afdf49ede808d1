import { LumenError, PROTOCOL_LIMITS, type Challenge } from "@lumen/protocol";
import { describe, expect, it, vi } from "vitest";
import { FrameRouter, type FrameRuntime } from "../src/capture/frame-router.ts";
import { EvidenceCollector } from "../src/evidence/evidence-collector.ts";
import type { LivenessEventMap } from "../src/liveness-events.ts";
import { createSessionCounters } from "../src/session-stats.ts";
import type { AnalyseFrameRequest, AnalyseFrameResult } from "../src/workers/analysis-api.ts";

const DEG = Math.PI / 180;

/** Mesh points whose head pose (core's `estimateHeadPose`) is `yaw`, `pitch` degrees. */
function meshPoints(yaw: number, pitch: number): Float32Array {
  const points = new Float32Array(478 * 3);
  const set = (index: number, x: number, y: number, z: number): void => {
    points.set([x, y, z], index * 3);
  };
  // Eye corners and cheeks: 240 px across, tilted out of the image plane by `yaw`.
  set(33, 0, 0, 0);
  set(263, 100, 0, 240 * Math.tan(yaw * DEG));
  set(234, -20, 0, 0);
  set(454, 120, 0, 0);
  // Forehead, nose bridge and chin: 220 px down, tilted by `pitch`.
  set(10, 50, 0, 0);
  set(168, 50, 20, 0);
  set(152, 50, 120, (-220 * Math.tan(pitch * DEG)) / 2);
  return points;
}

const challenge: Pick<Challenge, "oval" | "poses"> = {
  oval: { centerX: 0.5, centerY: 0.5, width: 0.5, height: 0.7 },
  poses: [{ direction: "left", holdMs: 1000 }],
};

/**
 * An analysed frame: with a face (`yaw` degrees, `luma`) filling the oval, sharp, so
 * `hold-still` with no quality issue at a frontal pose and normal light; or without a face.
 */
function analysed(yaw: number | null, evidence = false, luma = 128): AnalyseFrameResult {
  return {
    width: 640,
    height: 480,
    faces: yaw === null ? 0 : 1,
    face:
      yaw === null
        ? null
        : {
            box: { x: 160, y: 80, width: 320, height: 320 },
            points: meshPoints(yaw, 0),
            presence: 0.99,
            liveness: 5000,
            realness: 0.8,
            luma,
            sharpness: 10,
          },
    evidence: evidence ? { jpeg: new Uint8Array([7]), sha256: "c".repeat(64) } : null,
    analysisMs: 20,
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function setup(runtime: FrameRuntime | null = null) {
  const events: { type: keyof LivenessEventMap; detail: unknown }[] = [];
  const collector = new EvidenceCollector(
    { baseline: 1, "flash-0": 1, "pose-0": 1 },
    {
      minFrames: 2,
      maxFrames: 24,
    },
  );
  const counters = createSessionCounters();
  const encodeOnPage = vi.fn(() =>
    Promise.resolve({
      evidence: { jpeg: new Uint8Array([9]), sha256: "d".repeat(64) },
      width: 320,
      height: 240,
    }),
  );
  const router = new FrameRouter({
    challenge,
    evidenceLimits: { maxFramePixels: 640 * 480, maxFrameBytes: PROTOCOL_LIMITS.maxFrameBytes * 2 },
    collector,
    counters,
    emit: (type, detail) => {
      events.push({ type, detail });
    },
    runtime: () => runtime,
    encodeOnPage,
  });
  const of = (type: keyof LivenessEventMap): unknown[] =>
    events.filter((e) => e.type === type).map((e) => e.detail);
  return { router, collector, counters, events, of, encodeOnPage };
}

describe("FrameRouter: guidance", () => {
  it("guides placement with deduplicated hints and quality, and is steady after three good frames", () => {
    const { router, of, counters } = setup();
    router.onAnalysed(analysed(null), 1);
    router.onAnalysed(analysed(null), 2);
    expect(of("hint")).toEqual([{ hint: "no-face" }]);
    router.onAnalysed(analysed(0), 3);
    router.onAnalysed(analysed(0), 4);
    expect(router.steady).toBe(false);
    router.onAnalysed(analysed(0), 5);
    expect(router.steady).toBe(true);
    expect(of("hint")).toEqual([{ hint: "no-face" }, { hint: "hold-still" }]);
    // Quality starts as "no issue", so only a change is reported.
    expect(of("quality")).toEqual([]);
    router.onAnalysed(analysed(0, false, 10), 6);
    expect(of("quality")).toEqual([{ issue: "too-dark" }]);
    expect(router.steady).toBe(false);
    router.onAnalysed(analysed(40), 7);
    expect(of("quality")).toEqual([{ issue: "too-dark" }, { issue: "turned-away" }]);
    expect(counters).toMatchObject({ framesAnalysed: 7, framesTracked: 5 });
  });

  it("shows the head-turn prompt instead of placement hints during a prompt", () => {
    const { router, of } = setup();
    router.enterPhase("baseline");
    for (let i = 0; i < 3; i++) router.onAnalysed(analysed(0), i);
    router.lockBaseline();
    router.enterPhase("pose-0");
    router.onAnalysed(analysed(60), 10); // turned away: no placement hint, the prompt's instead
    expect(of("hint")).toEqual([{ hint: "hold-still" }, { hint: "pose-reached" }]);
  });
});

describe("FrameRouter: analysed frames", () => {
  it("reports each frame and keeps its evidence with clamped scores", () => {
    const { router, of, collector, counters } = setup();
    router.enterPhase("baseline");
    router.onAnalysed(analysed(0, true), 1000.4);
    router.onAnalysed(analysed(null), 1033);
    const [first, second] = of("frame") as LivenessEventMap["frame"][];
    expect(first).toMatchObject({ capturedAt: 1000.4, faces: 1, tracked: true });
    expect(first?.yawDegrees).toBeCloseTo(0, 6);
    expect(first?.pitchDegrees).toBeCloseTo(0, 6);
    expect(second).toEqual({
      capturedAt: 1033,
      faces: 0,
      tracked: false,
      yawDegrees: null,
      pitchDegrees: null,
    });
    expect(collector.frames.map((f) => f.claim)).toEqual([
      {
        capturedAt: 1000,
        sha256: "c".repeat(64),
        width: 640,
        height: 480,
        scores: { faces: 1, liveness: 1000, realness: 0.8 },
      },
    ]);
    expect(counters).toMatchObject({
      framesAnalysed: 2,
      framesTracked: 1,
      analysisMsTotal: 40,
      evidenceFrames: 1,
    });
  });

  it("measures turns from the baseline of well-placed, unflashed poses", () => {
    const { router, of } = setup();
    router.enterPhase("baseline");
    router.onAnalysed(analysed(-30), 1); // turned away: not part of the baseline
    router.onAnalysed(analysed(0, false, 10), 1.5); // too dark: not part of the baseline
    router.onAnalysed(analysed(4), 2);
    router.onAnalysed(analysed(6), 3);
    router.enterPhase("flash-0");
    router.onAnalysed(analysed(40), 4); // a flash's frame is not a resting pose
    router.lockBaseline(); // yaw 5
    router.enterPhase("pose-0");
    const hints = (): unknown[] => of("hint").slice(1); // after "hold-still"
    router.onAnalysed(analysed(10), 5); // 5° of the 10° asked
    router.onAnalysed(analysed(null), 6);
    router.onAnalysed(analysed(16), 7);
    router.onAnalysed(analysed(20), 8);
    expect(hints()).toEqual([{ hint: "pose-left" }, { hint: "no-face" }, { hint: "pose-reached" }]);
    expect(router.poseReachedAt(0)).toBe(7);
    expect(router.poseReachedAt(1)).toBeNull();
  });

  it("does not measure turns before the baseline is locked", () => {
    const { router, of } = setup();
    router.enterPhase("pose-0");
    router.onAnalysed(analysed(30), 1);
    expect(of("hint")).toEqual([]);
    expect(router.poseReachedAt(0)).toBeNull();
  });
});

describe("FrameRouter: video frames", () => {
  function runtime(analysisBusy = false) {
    const analysis = {
      busy: analysisBusy,
      failure: null as LumenError | null,
      // As the worker answers: a JPEG when asked for evidence, scores only when asked for them.
      offer: vi.fn(
        (_frame: ImageBitmap, request: AnalyseFrameRequest): Promise<AnalyseFrameResult> | null => {
          const result = analysed(0, request.evidence);
          const face = result.face && {
            ...result.face,
            ...(request.scores ? {} : { liveness: null, realness: null }),
          };
          return Promise.resolve({ ...result, face });
        },
      ),
    };
    const closes: ReturnType<typeof vi.fn>[] = [];
    const grab = vi.fn(() => {
      const close = vi.fn();
      closes.push(close);
      return Promise.resolve({ close } as unknown as ImageBitmap);
    });
    return { analysis, grab, closes };
  }

  it("sends an idle analysis worker the frame, asking for evidence when the collector wants it", async () => {
    const rt = runtime();
    const { router, collector, of, counters } = setup(rt);
    router.enterPhase("baseline");
    router.onVideoFrame(500);
    await flush();
    expect(rt.grab).toHaveBeenCalledTimes(1);
    expect(rt.analysis.offer).toHaveBeenCalledWith(expect.anything(), {
      evidence: true,
      scores: true,
      maxPixels: 640 * 480,
      maxJpegBytes: PROTOCOL_LIMITS.maxFrameBytes,
    });
    expect(collector.frames).toHaveLength(1);
    expect(of("frame")).toHaveLength(1);
    expect(counters).toMatchObject({ framesSeen: 1, framesAnalysed: 1 });
  });

  it("asks for neither evidence nor scores once the phase's evidence is kept", async () => {
    const rt = runtime();
    const { router, collector } = setup(rt);
    router.enterPhase("baseline");
    // The baseline's share: 24 frames over three phases and the tail.
    for (const at of [100, 133, 166, 200, 233, 266]) {
      router.onVideoFrame(at);
      await flush();
    }
    expect(collector.frames).toHaveLength(6);
    rt.analysis.offer.mockReturnValue(Promise.resolve(analysed(0)));
    router.onVideoFrame(300);
    await flush();
    expect(rt.analysis.offer).toHaveBeenLastCalledWith(expect.anything(), {
      evidence: false,
      scores: false,
      maxPixels: 640 * 480,
      maxJpegBytes: PROTOCOL_LIMITS.maxFrameBytes,
    });
    expect(rt.analysis.offer).toHaveBeenCalledTimes(7);
    expect(collector.frames).toHaveLength(6);
  });

  it("counts a frame the busy client refused as dropped", async () => {
    const rt = runtime();
    rt.analysis.offer.mockReturnValueOnce(null);
    const { router, counters } = setup(rt);
    router.onVideoFrame(500);
    await flush();
    expect(counters.framesDropped).toBe(1);
  });

  it("keeps a flash's light as evidence one at a time, located but not scored, and locates the rest", async () => {
    const rt = runtime();
    const { router, collector, counters, encodeOnPage } = setup(rt);
    router.enterPhase("flash-0");
    router.onVideoFrame(700.6);
    router.onVideoFrame(733); // the first is still being kept: this one is located, not kept
    await flush();
    const limits = { maxPixels: 640 * 480, maxJpegBytes: PROTOCOL_LIMITS.maxFrameBytes };
    expect(rt.analysis.offer.mock.calls.map(([, request]) => request)).toEqual([
      { evidence: true, scores: false, ...limits },
      { evidence: false, scores: false, ...limits },
    ]);
    expect(collector.frames.map((f) => f.claim)).toEqual([
      {
        capturedAt: 701,
        sha256: "c".repeat(64),
        width: 640,
        height: 480,
        scores: { faces: 1, liveness: null, realness: null },
      },
    ]);
    expect(counters).toMatchObject({ framesDropped: 0, evidenceFrames: 1, framesAnalysed: 2 });
    router.onVideoFrame(766);
    await flush();
    expect(rt.analysis.offer).toHaveBeenLastCalledWith(expect.anything(), {
      evidence: true,
      scores: false,
      ...limits,
    });
    expect(encodeOnPage).not.toHaveBeenCalled();
  });

  it("encodes a flash's frame on the page while the worker finishes an earlier one", async () => {
    const rt = runtime(true);
    const { router, collector, counters, encodeOnPage } = setup(rt);
    router.enterPhase("flash-0");
    router.onVideoFrame(700.6);
    router.onVideoFrame(733); // the first is still encoding
    await flush();
    expect(encodeOnPage).toHaveBeenCalledTimes(1);
    expect(encodeOnPage).toHaveBeenCalledWith(
      expect.anything(),
      640 * 480,
      PROTOCOL_LIMITS.maxFrameBytes,
    );
    expect(collector.frames.map((f) => f.claim)).toEqual([
      { capturedAt: 701, sha256: "d".repeat(64), width: 320, height: 240, scores: null },
    ]);
    expect(counters).toMatchObject({ framesDropped: 1, evidenceFrames: 1 });
    // One grab, for the page's encoding; the page closes its own bitmap.
    expect(rt.grab).toHaveBeenCalledTimes(1);
    expect(rt.closes[0]).toHaveBeenCalled();
    expect(rt.analysis.offer).not.toHaveBeenCalled();
  });

  it("counts a flash's frame the worker refused as dropped", async () => {
    const rt = runtime();
    rt.analysis.offer.mockReturnValueOnce(null);
    const { router, collector, counters } = setup(rt);
    router.enterPhase("flash-0");
    router.onVideoFrame(700);
    await flush();
    expect(collector.frames).toHaveLength(0);
    expect(counters.framesDropped).toBe(1);
  });

  it("only locates a flash's frames once the step's share of evidence is kept", async () => {
    const rt = runtime();
    const { router, collector, counters } = setup(rt);
    const kept = () => rt.analysis.offer.mock.calls.filter(([, request]) => request.evidence);
    router.enterPhase("flash-0");
    for (const at of [100, 133, 166, 200, 233, 266, 300]) {
      router.onVideoFrame(at);
      await flush();
    }
    // 24 frames over three phases and the tail: six for the flash.
    expect(kept()).toHaveLength(6);
    expect(collector.frames).toHaveLength(6);
    expect(rt.analysis.offer).toHaveBeenCalledTimes(7);
    router.enterPhase("flash-0", 400);
    router.onVideoFrame(366); // before the next step's light can show
    await flush();
    expect(kept()).toHaveLength(6);
    expect(rt.analysis.offer).toHaveBeenCalledTimes(8);
    expect(rt.analysis.offer).toHaveBeenLastCalledWith(
      expect.anything(),
      expect.objectContaining({ evidence: false, scores: false }),
    );
    expect(collector.frames).toHaveLength(6);
    expect(counters).toMatchObject({ framesDropped: 0, framesAnalysed: 8 });
  });

  it("drops a busy worker's frame outside flashes without encoding it", async () => {
    const rt = runtime(true);
    const { router, encodeOnPage, counters } = setup(rt);
    router.enterPhase("baseline");
    router.onVideoFrame(700);
    await flush();
    expect(encodeOnPage).not.toHaveBeenCalled();
    expect(counters.framesDropped).toBe(1);
  });

  it("ends on the first worker failure and stops routing", async () => {
    const rt = runtime();
    const crashed = new LumenError("WORKER_CRASHED", "gone");
    rt.analysis.failure = crashed;
    const { router } = setup(rt);
    router.onVideoFrame(1);
    rt.analysis.failure = new LumenError("CANCELLED", "later");
    router.onVideoFrame(2);
    await flush();
    expect(router.failure).toBe(crashed);
    expect(rt.grab).not.toHaveBeenCalled();
  });

  it("reports a rejected analysis as an internal error", async () => {
    const rt = runtime();
    rt.analysis.offer.mockReturnValueOnce(Promise.reject(new Error("boom")));
    const { router } = setup(rt);
    router.onVideoFrame(1);
    await flush();
    expect(router.failure?.code).toBe("INTERNAL");
  });

  it("only counts frames once torn down, and times frames from the challenge's start", () => {
    const { router, counters } = setup(null);
    router.onVideoFrame(1);
    router.startChallenge(10);
    router.onVideoFrame(9);
    router.onVideoFrame(10);
    router.onVideoFrame(43);
    expect(counters.framesSeen).toBe(4);
    expect(router.framesSeenAt).toEqual([10, 43]);
  });
});
