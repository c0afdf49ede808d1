import {
  estimateHeadPose,
  POSE_PITCH_THRESHOLD_DEGREES,
  POSE_YAW_THRESHOLD_DEGREES,
  poseProgress,
  type HeadPose,
  type PoseBaseline,
} from "@lumen/core";
import {
  LumenError,
  PROTOCOL_LIMITS,
  type EvidenceResponse,
  type ResultTokenClaims,
  type StartSessionResponse,
} from "@lumen/protocol";
import { assertSupported } from "./capture/check-support.ts";
import { captureFacts } from "./capture/capture-facts.ts";
import { implausibleTrackSettings } from "./capture/implausible-track-settings.ts";
import { openCamera } from "./capture/open-camera.ts";
import { createVideoFrameSource, type VideoFrameSource } from "./capture/video-frame-source.ts";
import { isVirtualCameraLabel } from "./capture/virtual-camera-label.ts";
import type { ChallengeContext } from "./challenges/challenge-context.ts";
import { runIlluminationSequence } from "./challenges/run-illumination-sequence.ts";
import { runPosePrompts } from "./challenges/run-pose-prompts.ts";
import { EventEmitter } from "./event-emitter.ts";
import { createDeviceKey } from "./evidence/device-key.ts";
import { encodeFrameEvidence } from "./evidence/encode-jpeg.ts";
import { EvidenceCollector } from "./evidence/evidence-collector.ts";
import { frameIntervalStdMs } from "./evidence/frame-interval-std.ts";
import { signResultToken } from "./evidence/sign-result-token.ts";
import { startRemoteSession, type ServerTarget } from "./evidence/start-remote-session.ts";
import { uploadEvidence } from "./evidence/upload-evidence.ts";
import type { LivenessEventMap } from "./liveness-events.ts";
import type { LivenessSession, LivenessSessionStats } from "./liveness-session.ts";
import {
  resolveLivenessSessionOptions,
  type LivenessSessionOptions,
} from "./liveness-session-options.ts";
import { createAnalysisClient, type AnalysisClient } from "./runtime/analysis-client.ts";
import { createTrackingClient, type TrackingClient } from "./runtime/tracking-client.ts";
import type { SessionState } from "./session-state.ts";
import { guidanceHint, type GuidanceHint } from "./tracking/guidance-hint.ts";
import { qualityIssue, type QualityIssue } from "./tracking/quality-issue.ts";
import type { AnalyseFrameResult } from "./workers/analysis-api.ts";
import type { TrackFrameResult } from "./workers/tracking-api.ts";

/** The server's default turn thresholds: the user's progress is shown against what it will judge. */
const SDK_POSE_THRESHOLDS = {
  yawDegrees: POSE_YAW_THRESHOLD_DEGREES,
  pitchDegrees: POSE_PITCH_THRESHOLD_DEGREES,
};

/** Consecutive well-placed frames that end positioning. */
const STEADY_FRAMES = 3;
const FINAL_STATES: readonly SessionState[] = ["completed", "failed", "cancelled", "closed"];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
}

// Reading `localStorage` itself throws in sandboxed frames and some private modes.
function localStorageOrNull(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null;
  }
}

function asLumenError(error: unknown): LumenError {
  if (error instanceof LumenError) return error;
  return new LumenError("INTERNAL", "The liveness check failed unexpectedly", { cause: error });
}

/**
 * Creates a headless liveness session: it opens the camera (or uses `source`), loads the pinned
 * models into a worker, starts the server session with a fresh device key, runs the server's
 * challenge with live guidance, and uploads signed evidence. Options are validated here.
 *
 * @throws {TypeError} When an option is missing or invalid.
 * @example
 * ```ts
 * const session = createLivenessSession({
 *   serverUrl: "https://kyc.example.com",
 *   clientToken,
 *   sessionId,
 *   assets: { modelBaseUrl: "/lumen/models/" },
 *   display,
 * });
 * session.on("hint", ({ hint }) => (prompt.textContent = messages[hint]));
 * const { status } = await session.start();
 * session.close();
 * ```
 */
export function createLivenessSession(options: LivenessSessionOptions): LivenessSession {
  const resolved = resolveLivenessSessionOptions(options);
  const { clock } = resolved;
  const events = new EventEmitter<LivenessEventMap>();
  const abort = new AbortController();

  let state: SessionState = "idle";
  let client: AnalysisClient | null = null;
  let tracker: TrackingClient | null = null;
  let frames: VideoFrameSource | null = null;
  let ownedStream: MediaStream | null = null;
  let lastHint: GuidanceHint | null = null;
  let lastQuality: QualityIssue | null = null;
  const stats = {
    framesSeen: 0,
    framesAnalysed: 0,
    framesTracked: 0,
    framesDropped: 0,
    evidenceFrames: 0,
    executionProvider: null as LivenessSessionStats["executionProvider"],
    webGpuUnavailable: null as string | null,
    analysisMsTotal: 0,
    framesLandmarked: 0,
    framesLandmarkedWithFace: 0,
    trackingMsTotal: 0,
    virtualCameraLabel: false,
  };

  const setState = (next: SessionState): void => {
    if (FINAL_STATES.includes(state)) return;
    state = next;
    events.emit("state", { state });
  };
  const hint = (next: GuidanceHint): void => {
    if (next === lastHint) return;
    lastHint = next;
    events.emit("hint", { hint: next });
  };
  const throwIfCancelled = (): void => {
    if (abort.signal.aborted) throw new LumenError("CANCELLED", "The session was cancelled");
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const cancelled = (): void => {
        clearTimeout(timer);
        reject(new LumenError("CANCELLED", "The session was cancelled"));
      };
      const timer = setTimeout(() => {
        abort.signal.removeEventListener("abort", cancelled);
        resolve();
      }, ms);
      if (abort.signal.aborted) cancelled();
      else abort.signal.addEventListener("abort", cancelled, { once: true });
    });

  const teardown = (): void => {
    frames?.stop();
    frames = null;
    client?.terminate();
    client = null;
    tracker?.terminate();
    tracker = null;
    for (const track of ownedStream?.getTracks() ?? []) track.stop();
    ownedStream = null;
  };

  async function run(): Promise<EvidenceResponse> {
    setState("checking-support");
    assertSupported();

    setState("opening-camera");
    const stream =
      resolved.source ??
      (ownedStream = await openCamera(navigator.mediaDevices, {
        deviceId: resolved.deviceId,
        storage: localStorageOrNull(),
        storageKey: resolved.rememberCamera,
      }));
    throwIfCancelled();
    const track = stream.getVideoTracks()[0];
    const capture = captureFacts(track, { customSource: resolved.source !== null });
    stats.virtualCameraLabel = isVirtualCameraLabel(capture.cameraLabel);
    const trackSignals = track ? implausibleTrackSettings(track.getSettings(), track.label) : [];
    if (stats.virtualCameraLabel && resolved.virtualCamera === "refuse") {
      throw new LumenError(
        "VIRTUAL_CAMERA",
        `The camera "${capture.cameraLabel}" looks like a virtual camera`,
      );
    }

    setState("loading-models");
    // A listener of that state may have cancelled (the component refusing a virtual camera).
    throwIfCancelled();
    client = createAnalysisClient(resolved.createWorker(), resolved.workerTimeouts);
    const ready = await client.init({
      modelBaseUrl: resolved.assets.modelBaseUrl.href,
      wasmBaseUrl: resolved.assets.wasmBaseUrl.href,
      preferWebGpu: "gpu" in navigator,
    });
    throwIfCancelled();
    tracker = createTrackingClient(resolved.createTrackingWorker(), resolved.workerTimeouts);
    await tracker.init({
      modelBaseUrl: resolved.assets.modelBaseUrl.href,
      tasksVisionBaseUrl: resolved.assets.tasksVisionBaseUrl.href,
    });
    stats.executionProvider = ready.executionProvider;
    stats.webGpuUnavailable = ready.webGpuUnavailable;
    throwIfCancelled();

    const deviceKey = await createDeviceKey();
    const target: ServerTarget = {
      serverUrl: resolved.serverUrl,
      sessionId: resolved.sessionId,
      fetch: resolved.fetch,
    };
    const startedAt = clock();
    const start: StartSessionResponse = await startRemoteSession(target, resolved.clientToken, {
      devicePublicKey: deviceKey.publicJwk,
      capture,
    });
    throwIfCancelled();
    const { challenge } = start;

    // Frame handling: what each analysed frame feeds depends on the phase.
    const phases = [
      "baseline",
      ...challenge.flashes.map((_, i) => `flash-${i}`),
      ...challenge.poses.map((_, i) => `pose-${i}`),
    ];
    const collector = new EvidenceCollector(phases, start.evidence);
    const baselinePoses: HeadPose[] = [];
    let baseline: PoseBaseline | null = null;
    let phase: string | null = null;
    let encodingOnPage = false;
    let steady = 0;
    const poseReachedAt: (number | null)[] = challenge.poses.map(() => null);
    const seenAt: number[] = [];
    let challengeStartedAt = Number.POSITIVE_INFINITY;
    const analysisErrors: LumenError[] = [];
    // The tracker's latest positioning verdict: the ONNX frames only count towards the pose
    // baseline while the face is placed well.
    let positioned = false;
    const posePhase = (): boolean => phase?.startsWith("pose-") ?? false;

    // Live guidance from MediaPipe's landmarks on (nearly) every frame: placement and quality.
    const onTrack = (result: TrackFrameResult): void => {
      stats.framesLandmarked++;
      stats.trackingMsTotal += result.trackingMs;
      if (result.faces === 1 && result.face) stats.framesLandmarkedWithFace++;
      const positioning = guidanceHint(result, challenge.oval);
      const issue = result.faces === 1 && result.face ? qualityIssue(result.face) : null;
      if (issue !== lastQuality) {
        lastQuality = issue;
        events.emit("quality", { issue });
      }
      positioned = positioning === "hold-still" && issue === null;
      steady = positioned ? steady + 1 : 0;
      // During a head-turn prompt the ONNX mesh (the server's own model) drives the hints.
      if (!posePhase()) hint(positioning);
    };

    const onResult = (result: AnalyseFrameResult, capturedAt: number): void => {
      stats.framesAnalysed++;
      stats.analysisMsTotal += result.analysisMs;
      const tracked = result.faces === 1 && result.face !== null;
      if (tracked) stats.framesTracked++;
      let pose: HeadPose | null = null;
      if (result.face) {
        try {
          pose = estimateHeadPose(result.face.points);
        } catch {
          pose = null;
        }
      }
      events.emit("frame", {
        capturedAt,
        faces: result.faces,
        tracked,
        yawDegrees: pose?.yawDegrees ?? null,
        pitchDegrees: pose?.pitchDegrees ?? null,
      });
      if (result.evidence) {
        collector.add({
          claim: {
            capturedAt: Math.round(capturedAt),
            sha256: result.evidence.sha256,
            width: result.width,
            height: result.height,
            scores: {
              faces: Math.min(16, result.faces),
              liveness: result.face ? Math.max(-1000, Math.min(1000, result.face.liveness)) : null,
              realness: result.face?.realness ?? null,
            },
          },
          jpeg: result.evidence.jpeg,
        });
        stats.evidenceFrames = collector.frames.length;
      }
      const poseIndex = phase?.startsWith("pose-") ? Number(phase.slice(5)) : -1;
      const prompt = challenge.poses[poseIndex];
      if (prompt && baseline) {
        const progress = pose
          ? poseProgress(prompt.direction, pose, baseline, SDK_POSE_THRESHOLDS)
          : null;
        if (progress?.reached) {
          poseReachedAt[poseIndex] ??= capturedAt;
          hint("pose-reached");
        } else {
          hint(tracked ? `pose-${prompt.direction}` : "no-face");
        }
        return;
      }
      if (pose && positioned && !phase?.startsWith("flash-")) baselinePoses.push(pose);
    };

    const onVideoFrame = (capturedAt: number): void => {
      stats.framesSeen++;
      if (capturedAt >= challengeStartedAt) seenAt.push(capturedAt);
      const current = client;
      const source = frames;
      if (!current || !source) return;
      // A worker that died between frames has no call to reject: its failure ends the session.
      const failure = current.failure ?? tracker?.failure;
      if (failure) {
        if (analysisErrors.length === 0) analysisErrors.push(failure);
        return;
      }
      const landmarks = tracker;
      if (landmarks && !landmarks.busy) {
        createImageBitmap(source.video).then(
          (bitmap) => {
            landmarks.offer(bitmap, capturedAt)?.then(onTrack, (error: unknown) => {
              analysisErrors.push(asLumenError(error));
            });
          },
          () => undefined,
        );
      }
      const limits = {
        maxPixels: start.evidence.maxFramePixels,
        maxJpegBytes: Math.min(start.evidence.maxFrameBytes, PROTOCOL_LIMITS.maxFrameBytes),
      };
      if (current.busy) {
        stats.framesDropped++;
        // A flash lasts 300–600 ms, one or two analyses on a slow device: while the worker is
        // busy, the flash's light is kept as evidence without the SDK's scores (encoded here),
        // so the server sees every flash. The server scores every frame itself anyway.
        if (phase?.startsWith("flash-") && !encodingOnPage && collector.wants(capturedAt)) {
          encodingOnPage = true;
          createImageBitmap(source.video)
            .then(async (bitmap) => {
              try {
                const { evidence, width, height } = await encodeFrameEvidence(
                  bitmap,
                  limits.maxPixels,
                  limits.maxJpegBytes,
                );
                collector.add({
                  claim: {
                    capturedAt: Math.round(capturedAt),
                    sha256: evidence.sha256,
                    width,
                    height,
                    scores: null,
                  },
                  jpeg: evidence.jpeg,
                });
                stats.evidenceFrames = collector.frames.length;
              } finally {
                bitmap.close();
              }
            })
            .catch((error: unknown) => {
              analysisErrors.push(asLumenError(error));
            })
            .finally(() => {
              encodingOnPage = false;
            });
        }
        return;
      }
      const evidence = collector.wants(capturedAt);
      createImageBitmap(source.video).then(
        (bitmap) => {
          const pending = current.offer(bitmap, {
            evidence,
            ...limits,
          });
          if (!pending) {
            stats.framesDropped++;
            return;
          }
          pending.then(
            (result) => {
              onResult(result, capturedAt);
            },
            (error: unknown) => {
              analysisErrors.push(asLumenError(error));
            },
          );
        },
        () => {
          stats.framesDropped++;
        },
      );
    };

    frames = await createVideoFrameSource(stream, clock);
    frames.start(onVideoFrame);

    setState("positioning");
    const positioningEnds = clock() + resolved.positioningTimeoutMs;
    while (steady < STEADY_FRAMES && clock() < positioningEnds) {
      if (analysisErrors[0]) throw analysisErrors[0];
      await sleep(50);
    }
    events.emit("progress", { fraction: 0.2 });

    setState("challenge");
    challengeStartedAt = clock();
    const context: ChallengeContext = {
      display: resolved.display,
      clock,
      sleep: async (ms) => {
        await sleep(ms);
        if (analysisErrors[0]) throw analysisErrors[0];
      },
      enterPhase: (next, evidenceFromMs) => {
        phase = next;
        collector.enter(next, evidenceFromMs);
      },
      collectEvidenceFrom: (fromMs) => {
        collector.collectFrom(fromMs);
      },
      onStep: (step) => {
        events.emit("step", { step });
        const done = step.index / Math.max(1, step.total);
        events.emit("progress", {
          fraction: step.kind === "illumination" ? 0.2 + 0.3 * done : 0.5 + 0.3 * done,
        });
      },
    };
    context.enterPhase("baseline");
    while (collector.frames.length < 2 && clock() < positioningEnds + 5000) await context.sleep(50);
    const flashesShownAt = await runIlluminationSequence(challenge.flashes, context);
    baseline =
      baselinePoses.length > 0
        ? {
            yawDegrees: median(baselinePoses.map((p) => p.yawDegrees)),
            pitchDegrees: median(baselinePoses.map((p) => p.pitchDegrees)),
          }
        : { yawDegrees: 0, pitchDegrees: 0 };
    const posesShownAt = await runPosePrompts(
      challenge.poses,
      context,
      (i) => poseReachedAt[i] ?? null,
    );
    context.enterPhase("tail");
    const tailEnds = clock() + 5000;
    while (!collector.enough && clock() < tailEnds) await context.sleep(50);
    // Let the frame in flight land, then stop watching.
    while (client.busy) await context.sleep(20);
    collector.enter(null);
    frames.stop();
    frames = null;
    if (!collector.enough) {
      throw new LumenError(
        "FRAME_COUNT_INVALID",
        `Only ${collector.frames.length} of ${start.evidence.minFrames} evidence frames were captured`,
      );
    }

    setState("uploading");
    events.emit("progress", { fraction: 0.9 });
    const iat = Math.floor(clock() / 1000);
    const claims: ResultTokenClaims = {
      sid: resolved.sessionId,
      nonce: start.nonce,
      iat,
      exp: iat + 120,
      frames: collector.frames.map((frame) => frame.claim),
      flashesShownAt: flashesShownAt.map(Math.round),
      posesShownAt: posesShownAt.map(Math.round),
      models: ready.modelsHash,
      signals: {
        virtualCameraLabel: stats.virtualCameraLabel,
        customSource: resolved.source !== null,
        frameIntervalStdMs: frameIntervalStdMs(seenAt),
        implausibleTrackSettings: trackSignals,
      },
    };
    const token = await signResultToken(claims, deviceKey.privateKey);
    const evidenceFrames = collector.frames.map((frame) => frame.jpeg);
    try {
      resolved.onEvidence?.({ start, startedAt, capture, token, frames: evidenceFrames });
    } catch {
      // A recorder's failure must not cost the person their verification.
    }
    const result = await uploadEvidence(target, token, evidenceFrames, {
      attempts: resolved.uploadAttempts,
      sleep,
      signal: abort.signal,
    });
    events.emit("progress", { fraction: 1 });
    return result;
  }

  let running: Promise<EvidenceResponse> | null = null;

  return {
    get state() {
      return state;
    },
    get stats(): LivenessSessionStats {
      return {
        framesSeen: stats.framesSeen,
        framesAnalysed: stats.framesAnalysed,
        framesTracked: stats.framesTracked,
        framesDropped: stats.framesDropped + (client?.droppedFrames ?? 0),
        evidenceFrames: stats.evidenceFrames,
        executionProvider: stats.executionProvider,
        webGpuUnavailable: stats.webGpuUnavailable,
        meanAnalysisMs:
          stats.framesAnalysed > 0 ? stats.analysisMsTotal / stats.framesAnalysed : null,
        framesLandmarked: stats.framesLandmarked,
        framesLandmarkedWithFace: stats.framesLandmarkedWithFace,
        meanTrackingMs:
          stats.framesLandmarked > 0 ? stats.trackingMsTotal / stats.framesLandmarked : null,
        virtualCameraLabel: stats.virtualCameraLabel,
      };
    },
    on: (type, listener) => events.on(type, listener),
    start() {
      if (running) return running;
      if (state !== "idle") {
        return Promise.reject(new LumenError("SESSION_STATE_CONFLICT", "Sessions are single-use"));
      }
      running = run().then(
        (result) => {
          teardown();
          events.emit("result", result);
          setState("completed");
          return result;
        },
        (error: unknown) => {
          teardown();
          const failure = abort.signal.aborted
            ? new LumenError("CANCELLED", "The session was cancelled", { cause: error })
            : asLumenError(error);
          events.emit("error", { error: failure });
          setState(failure.code === "CANCELLED" ? "cancelled" : "failed");
          throw failure;
        },
      );
      return running;
    },
    cancel() {
      if (FINAL_STATES.includes(state)) return;
      abort.abort();
      teardown();
      if (!running) setState("cancelled");
    },
    close() {
      this.cancel();
      teardown();
      if (state !== "closed") {
        state = "closed";
        events.emit("state", { state });
      }
      events.clear();
    },
  };
}
