import type { LivenessSessionStats } from "./liveness-session.ts";

/**
 * The running counters behind {@link LivenessSessionStats}: the frame router and the session
 * write them, `sessionStats` turns them into the public read-only view.
 */
export interface SessionCounters {
  framesSeen: number;
  framesAnalysed: number;
  framesTracked: number;
  /** Frames dropped on the page; the analysis client counts its own drops. */
  framesDropped: number;
  evidenceFrames: number;
  executionProvider: LivenessSessionStats["executionProvider"];
  webGpuUnavailable: string | null;
  analysisMsTotal: number;
  virtualCameraLabel: boolean;
}

/**
 * Counters of a session that has not seen a frame yet.
 *
 * @example
 * ```ts
 * const counters = createSessionCounters();
 * counters.framesSeen++;
 * ```
 */
export function createSessionCounters(): SessionCounters {
  return {
    framesSeen: 0,
    framesAnalysed: 0,
    framesTracked: 0,
    framesDropped: 0,
    evidenceFrames: 0,
    executionProvider: null,
    webGpuUnavailable: null,
    analysisMsTotal: 0,
    virtualCameraLabel: false,
  };
}

/**
 * The public view of `counters`: means instead of totals (`null` before the first frame), and
 * the frames the analysis client dropped (`workerDroppedFrames`) added to the page's own drops.
 *
 * @example
 * ```ts
 * const stats = sessionStats(counters, client?.droppedFrames ?? 0);
 * stats.meanAnalysisMs; // null until a frame was analysed
 * ```
 */
export function sessionStats(
  counters: Readonly<SessionCounters>,
  workerDroppedFrames: number,
): LivenessSessionStats {
  return {
    framesSeen: counters.framesSeen,
    framesAnalysed: counters.framesAnalysed,
    framesTracked: counters.framesTracked,
    framesDropped: counters.framesDropped + workerDroppedFrames,
    evidenceFrames: counters.evidenceFrames,
    executionProvider: counters.executionProvider,
    webGpuUnavailable: counters.webGpuUnavailable,
    meanAnalysisMs:
      counters.framesAnalysed > 0 ? counters.analysisMsTotal / counters.framesAnalysed : null,
    virtualCameraLabel: counters.virtualCameraLabel,
  };
}
