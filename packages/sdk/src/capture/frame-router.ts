import {
  estimateHeadPose,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  poseProgress,
  type HeadPose,
  type PoseBaseline,
} from "@lumen/core";
import {
  PROTOCOL_LIMITS,
  type Challenge,
  type LumenError,
  type StartSessionResponse,
} from "@lumen/protocol";
import { asLumenError } from "../as-lumen-error.ts";
import type { EvidenceCollector } from "../evidence/evidence-collector.ts";
import { analysedEvidenceFrame, unscoredEvidenceFrame } from "../evidence/frame-evidence.ts";
import type { LivenessEventMap } from "../liveness-events.ts";
import type { AnalysisClient } from "../runtime/analysis-client.ts";
import type { SessionCounters } from "../session-stats.ts";
import { guidanceHint, type GuidanceHint } from "../tracking/guidance-hint.ts";
import { poseBaseline } from "../tracking/pose-baseline.ts";
import { qualityIssue, type QualityIssue } from "../tracking/quality-issue.ts";
import type { AnalyseFrameResult, EncodedEvidence } from "../workers/analysis-api.ts";

/** The server's default turn thresholds: the user's progress is shown against what it will judge. */
const SDK_POSE_THRESHOLDS = {
  yawDegrees: POSE_YAW_THRESHOLD_DEGREES,
  pitchDegrees: POSE_PITCH_THRESHOLD_DEGREES,
};

/** Consecutive well-placed frames that end positioning. */
const STEADY_FRAMES = 3;

/** Emits one session event (the session's `EventEmitter#emit`). */
export type EmitLivenessEvent = <K extends keyof LivenessEventMap>(
  type: K,
  detail: LivenessEventMap[K],
) => void;

/** What a video frame is routed to while the session runs. */
export interface FrameRuntime {
  readonly analysis: Pick<AnalysisClient, "busy" | "failure" | "offer">;
  /** Grabs the video's current frame (`createImageBitmap(video)`); each call a new bitmap. */
  readonly grab: () => Promise<ImageBitmap>;
}

/** Everything a {@link FrameRouter} feeds, injected by the session. */
export interface FrameRouterOptions {
  readonly challenge: Pick<Challenge, "oval" | "poses">;
  readonly evidenceLimits: Pick<
    StartSessionResponse["evidence"],
    "maxFramePixels" | "maxFrameBytes"
  >;
  readonly collector: Pick<EvidenceCollector, "wants" | "add" | "enter" | "frames">;
  readonly counters: SessionCounters;
  readonly emit: EmitLivenessEvent;
  /** The workers and the camera while they run; `null` once the session tore them down. */
  readonly runtime: () => FrameRuntime | null;
  /** Encodes a frame as evidence on the page (`encodeFrameEvidence`). */
  readonly encodeOnPage: (
    bitmap: ImageBitmap,
    maxPixels: number,
    maxJpegBytes: number,
  ) => Promise<{ evidence: EncodedEvidence; width: number; height: number }>;
}

/**
 * Routes each camera frame by the challenge's phase: to the analysis worker (when it is free)
 * for guidance, scores and evidence, or, during a flash, to be kept as evidence unscored
 * (located by the analysis worker, or encoded on the page while the worker finishes a frame
 * from before), so every step of the illumination sequence has its share. Analysed frames
 * feed the live guidance (placement and image quality), the evidence collector, the `frame`
 * events, the pose baseline and the head-turn progress.
 * It never waits: the session sequences, the router only reacts.
 *
 * @example
 * ```ts
 * const router = new FrameRouter({ challenge, evidenceLimits, collector, counters, emit, runtime, encodeOnPage });
 * frames.start((capturedAt) => router.onVideoFrame(capturedAt));
 * router.enterPhase("baseline");
 * if (router.failure) throw router.failure;
 * ```
 */
export class FrameRouter {
  readonly #options: FrameRouterOptions;
  readonly #limits: { readonly maxPixels: number; readonly maxJpegBytes: number };
  readonly #baselinePoses: HeadPose[] = [];
  readonly #poseReachedAt: (number | null)[];
  readonly #seenAt: number[] = [];
  #baseline: PoseBaseline | null = null;
  #phase: string | null = null;
  /** A flash's evidence frame is being kept (by the worker or on the page). */
  #encoding = false;
  #steady = 0;
  // The latest analysed frame's positioning verdict: poses only count towards the baseline
  // while the face is placed well.
  #positioned = false;
  #challengeStartedAt = Number.POSITIVE_INFINITY;
  #failure: LumenError | null = null;
  #lastHint: GuidanceHint | null = null;
  #lastQuality: QualityIssue | null = null;

  constructor(options: FrameRouterOptions) {
    this.#options = options;
    this.#limits = {
      maxPixels: options.evidenceLimits.maxFramePixels,
      maxJpegBytes: Math.min(options.evidenceLimits.maxFrameBytes, PROTOCOL_LIMITS.maxFrameBytes),
    };
    this.#poseReachedAt = options.challenge.poses.map(() => null);
  }

  /** The first worker or encoding failure since the router began; it ends the session. */
  get failure(): LumenError | null {
    return this.#failure;
  }

  /** The face has been placed well on enough consecutive tracked frames to start. */
  get steady(): boolean {
    return this.#steady >= STEADY_FRAMES;
  }

  /** Capture times of the video frames seen since {@link startChallenge} (epoch ms). */
  get framesSeenAt(): readonly number[] {
    return this.#seenAt;
  }

  /** Starts timing the video frames (for the frame-interval signal) from `atMs` on. */
  startChallenge(atMs: number): void {
    this.#challengeStartedAt = atMs;
  }

  /** Routes frames to `phase` and has the collector keep its evidence from `evidenceFromMs`. */
  enterPhase(phase: string, evidenceFromMs?: number): void {
    this.#phase = phase;
    this.#options.collector.enter(phase, evidenceFromMs);
  }

  /** Fixes the head-turn baseline from the well-placed poses seen so far (before the prompts). */
  lockBaseline(): void {
    this.#baseline = poseBaseline(this.#baselinePoses);
  }

  /** When the head first reached pose prompt `index` (epoch ms of the capture), else `null`. */
  poseReachedAt(index: number): number | null {
    return this.#poseReachedAt[index] ?? null;
  }

  /** One frame from the camera, captured at `capturedAt` (epoch ms). */
  onVideoFrame(capturedAt: number): void {
    const { counters, collector } = this.#options;
    counters.framesSeen++;
    if (capturedAt >= this.#challengeStartedAt) this.#seenAt.push(capturedAt);
    const runtime = this.#options.runtime();
    if (!runtime) return;
    const { analysis, grab } = runtime;
    // A worker that died between frames has no call to reject: its failure ends the session.
    if (analysis.failure) {
      this.#failure ??= analysis.failure;
      return;
    }
    // A step lasts 300–650 ms, one scored analysis on a slow device: scored, a step would keep
    // a frame or two. The server scores every frame itself and the SDK needs no score of a lit
    // face, so a flash's evidence frames are kept one at a time, located but not scored by the
    // worker, or encoded on the page while the worker finishes an earlier frame. A flash's
    // other frames are located like any other when the worker is free.
    const flash = this.#phase?.startsWith("flash-") ?? false;
    const wanted = collector.wants(capturedAt);
    if (flash && wanted && !this.#encoding) {
      this.#encodeEvidence(runtime, capturedAt);
      return;
    }
    if (analysis.busy) {
      counters.framesDropped++;
      return;
    }
    // Only an evidence frame's scores are claimed (and compared by the server): the others
    // need the face's place, mesh and quality, a third of the models' time.
    const evidence = wanted && !flash;
    grab().then(
      (bitmap) => {
        const pending = analysis.offer(bitmap, { evidence, scores: evidence, ...this.#limits });
        if (!pending) {
          counters.framesDropped++;
          return;
        }
        pending.then(
          (result) => {
            this.onAnalysed(result, capturedAt);
          },
          (error: unknown) => {
            this.#fail(error);
          },
        );
      },
      () => {
        counters.framesDropped++;
      },
    );
  }

  /** A frame the analysis worker analysed (scored and encoded when evidence was asked for). */
  onAnalysed(result: AnalyseFrameResult, capturedAt: number): void {
    const { counters, collector, challenge, emit } = this.#options;
    counters.framesAnalysed++;
    counters.analysisMsTotal += result.analysisMs;
    const tracked = result.faces === 1 && result.face !== null;
    if (tracked) counters.framesTracked++;
    let pose: HeadPose | null = null;
    if (result.face) {
      try {
        pose = estimateHeadPose(result.face.points);
      } catch {
        pose = null;
      }
    }
    const positioning = this.#guide(result);
    emit("frame", {
      capturedAt,
      faces: result.faces,
      tracked,
      yawDegrees: pose?.yawDegrees ?? null,
      pitchDegrees: pose?.pitchDegrees ?? null,
    });
    const evidenceFrame = analysedEvidenceFrame(result, capturedAt);
    if (evidenceFrame) {
      collector.add(evidenceFrame);
      counters.evidenceFrames = collector.frames.length;
    }
    const phase = this.#phase;
    const poseIndex = phase?.startsWith("pose-") ? Number(phase.slice(5)) : -1;
    const prompt = challenge.poses[poseIndex];
    // During a head-turn prompt the prompt is the hint, measured from the locked baseline.
    if (prompt) {
      if (!this.#baseline) return;
      const progress = pose
        ? poseProgress(prompt.direction, pose, this.#baseline, SDK_POSE_THRESHOLDS)
        : null;
      if (progress?.reached) {
        this.#poseReachedAt[poseIndex] ??= capturedAt;
        this.#hint("pose-reached");
      } else {
        this.#hint(tracked ? `pose-${prompt.direction}` : "no-face");
      }
      return;
    }
    this.#hint(positioning);
    if (pose && this.#positioned && !phase?.startsWith("flash-")) this.#baselinePoses.push(pose);
  }

  /**
   * Placement and image quality of an analysed frame: emits a changed quality issue, counts
   * consecutive well-placed frames, and returns the positioning hint.
   */
  #guide(result: AnalyseFrameResult): GuidanceHint {
    const positioning = guidanceHint(result, this.#options.challenge.oval);
    const issue = result.faces === 1 && result.face ? qualityIssue(result.face) : null;
    if (issue !== this.#lastQuality) {
      this.#lastQuality = issue;
      this.#options.emit("quality", { issue });
    }
    this.#positioned = positioning === "hold-still" && issue === null;
    this.#steady = this.#positioned ? this.#steady + 1 : 0;
    return positioning;
  }

  #encodeEvidence(runtime: FrameRuntime, capturedAt: number): void {
    const { counters, collector, encodeOnPage } = this.#options;
    const { analysis, grab } = runtime;
    const { maxPixels, maxJpegBytes } = this.#limits;
    const onPage = analysis.busy;
    this.#encoding = true;
    grab()
      .then(async (bitmap) => {
        if (!onPage) {
          const request = { evidence: true, scores: false, ...this.#limits };
          const located = await analysis.offer(bitmap, request);
          if (located) this.onAnalysed(located, capturedAt);
          else counters.framesDropped++;
          return;
        }
        try {
          const encoded = await encodeOnPage(bitmap, maxPixels, maxJpegBytes);
          collector.add(unscoredEvidenceFrame(encoded, capturedAt));
          counters.evidenceFrames = collector.frames.length;
        } finally {
          bitmap.close();
        }
      })
      .catch((error: unknown) => {
        this.#fail(error);
      })
      .finally(() => {
        this.#encoding = false;
      });
  }

  #fail(error: unknown): void {
    this.#failure ??= asLumenError(error);
  }

  #hint(next: GuidanceHint): void {
    if (next === this.#lastHint) return;
    this.#lastHint = next;
    this.#options.emit("hint", { hint: next });
  }
}
