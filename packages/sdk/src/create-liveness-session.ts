import { LumenError, type EvidenceResponse, type StartSessionResponse } from "@lumen/protocol";
import { asLumenError } from "./as-lumen-error.ts";
import { assertSupported } from "./capture/check-support.ts";
import { captureFacts } from "./capture/capture-facts.ts";
import { FrameRouter } from "./capture/frame-router.ts";
import { implausibleTrackSettings } from "./capture/implausible-track-settings.ts";
import { localStorageOrNull } from "./capture/local-storage-or-null.ts";
import { openCamera } from "./capture/open-camera.ts";
import { createVideoFrameSource, type VideoFrameSource } from "./capture/video-frame-source.ts";
import { isVirtualCameraLabel } from "./capture/virtual-camera-label.ts";
import type { ChallengeContext } from "./challenges/challenge-context.ts";
import { runIlluminationSequence } from "./challenges/run-illumination-sequence.ts";
import { runPosePrompts } from "./challenges/run-pose-prompts.ts";
import { stepProgress } from "./challenges/step-progress.ts";
import { EventEmitter } from "./event-emitter.ts";
import { buildResultClaims } from "./evidence/build-result-claims.ts";
import { createDeviceKey } from "./evidence/device-key.ts";
import { encodeFrameEvidence } from "./evidence/encode-jpeg.ts";
import { EvidenceCollector } from "./evidence/evidence-collector.ts";
import { evidenceShares } from "./evidence/evidence-shares.ts";
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
import { cancellableSleep } from "./runtime/cancellable-sleep.ts";
import { createSessionCounters, sessionStats } from "./session-stats.ts";
import type { SessionState } from "./session-state.ts";

const FINAL_STATES: readonly SessionState[] = ["completed", "failed", "cancelled", "closed"];

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
  const counters = createSessionCounters();

  let state: SessionState = "idle";
  let client: AnalysisClient | null = null;
  let frames: VideoFrameSource | null = null;
  let ownedStream: MediaStream | null = null;

  const setState = (next: SessionState): void => {
    if (FINAL_STATES.includes(state)) return;
    state = next;
    events.emit("state", { state });
  };
  const throwIfCancelled = (): void => {
    if (abort.signal.aborted) throw new LumenError("CANCELLED", "The session was cancelled");
  };
  const sleep = (ms: number): Promise<void> => cancellableSleep(ms, abort.signal);

  const teardown = (): void => {
    frames?.stop();
    frames = null;
    client?.terminate();
    client = null;
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
    counters.virtualCameraLabel = isVirtualCameraLabel(capture.cameraLabel);
    const trackSignals = track ? implausibleTrackSettings(track.getSettings(), track.label) : [];
    if (counters.virtualCameraLabel && resolved.virtualCamera === "refuse") {
      throw new LumenError(
        "VIRTUAL_CAMERA",
        `The camera "${capture.cameraLabel}" looks like a virtual camera`,
      );
    }

    setState("loading-models");
    // A listener of that state may have cancelled (the component refusing a virtual camera).
    throwIfCancelled();
    // Kept before its models load, so a session cancelled meanwhile terminates it.
    const analysis = createAnalysisClient(resolved.createWorker(), resolved.workerTimeouts);
    client = analysis;
    const ready = await analysis.init({
      modelBaseUrl: resolved.assets.modelBaseUrl.href,
      wasmBaseUrl: resolved.assets.wasmBaseUrl.href,
      preferWebGpu: "gpu" in navigator,
    });
    counters.executionProvider = ready.executionProvider;
    counters.webGpuUnavailable = ready.webGpuUnavailable;
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

    const collector = new EvidenceCollector(evidenceShares(challenge), start.evidence);
    const router = new FrameRouter({
      challenge,
      evidenceLimits: start.evidence,
      collector,
      counters,
      emit: (type, detail) => {
        events.emit(type, detail);
      },
      runtime: () => {
        const source = frames;
        if (!client || !source) return null;
        return {
          analysis: client,
          grab: () => createImageBitmap(source.video),
        };
      },
      encodeOnPage: encodeFrameEvidence,
    });
    const throwIfFailed = (): void => {
      if (router.failure) throw router.failure;
    };

    frames = await createVideoFrameSource(stream, clock);
    frames.start((capturedAt) => {
      router.onVideoFrame(capturedAt);
    });

    setState("positioning");
    const positioningEnds = clock() + resolved.positioningTimeoutMs;
    while (!router.steady && clock() < positioningEnds) {
      throwIfFailed();
      await sleep(50);
    }
    events.emit("progress", { fraction: 0.2 });

    setState("challenge");
    router.startChallenge(clock());
    const context: ChallengeContext = {
      display: resolved.display,
      clock,
      sleep: async (ms) => {
        await sleep(ms);
        throwIfFailed();
      },
      enterPhase: (next, evidenceFromMs) => {
        router.enterPhase(next, evidenceFromMs);
      },
      collectEvidenceFrom: (fromMs, untilMs) => {
        collector.collectFrom(fromMs, untilMs);
      },
      onStep: (step) => {
        events.emit("step", { step });
        events.emit("progress", { fraction: stepProgress(step) });
      },
    };
    context.enterPhase("baseline");
    while (collector.frames.length < 2 && clock() < positioningEnds + 5000) await context.sleep(50);
    const flashesShownAt = await runIlluminationSequence(challenge.flashes, context);
    router.lockBaseline();
    const posesShownAt = await runPosePrompts(challenge.poses, context, (i) =>
      router.poseReachedAt(i),
    );
    context.enterPhase("tail");
    const tailEnds = clock() + 5000;
    while (!collector.enough && clock() < tailEnds) await context.sleep(50);
    // Let the frame in flight land, then stop watching.
    while (analysis.busy) await context.sleep(20);
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
    const claims = buildResultClaims({
      sessionId: resolved.sessionId,
      start,
      nowMs: clock(),
      frames: collector.frames,
      flashesShownAt,
      posesShownAt,
      modelsHash: ready.modelsHash,
      virtualCameraLabel: counters.virtualCameraLabel,
      customSource: resolved.source !== null,
      framesSeenAt: router.framesSeenAt,
      implausibleTrackSettings: trackSignals,
    });
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
      return sessionStats(counters, client?.droppedFrames ?? 0);
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
