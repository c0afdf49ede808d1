import type { EvidenceResponse } from "@lumen/protocol";
import type { LivenessEventMap, LivenessListener } from "./liveness-events.ts";
import type { SessionState } from "./session-state.ts";
import type { ExecutionProvider } from "./workers/analysis-api.ts";

/** Counters of a session, for diagnostics and tests; no biometric data. */
export interface LivenessSessionStats {
  /** Video frames the camera delivered while the session watched. */
  readonly framesSeen: number;
  /** Frames the worker analysed. */
  readonly framesAnalysed: number;
  /** Analysed frames with one face found and meshed. */
  readonly framesTracked: number;
  /** Frames dropped because the worker was busy (never queued). */
  readonly framesDropped: number;
  readonly evidenceFrames: number;
  /** The ONNX execution provider that actually ran, once the models are loaded. */
  readonly executionProvider: ExecutionProvider | null;
  readonly webGpuUnavailable: string | null;
  readonly meanAnalysisMs: number | null;
  /** The camera label looked like a virtual camera (reported to the server as a signal). */
  readonly virtualCameraLabel: boolean;
}

/**
 * One liveness check, from camera to verdict. Made by {@link createLivenessSession}.
 *
 * @example
 * ```ts
 * const session = createLivenessSession(options);
 * session.on("hint", ({ hint }) => show(hint));
 * const { status } = await session.start();
 * session.close();
 * ```
 */
export interface LivenessSession {
  readonly state: SessionState;
  readonly stats: LivenessSessionStats;
  /** Subscribes to one event type; returns the unsubscribe function. */
  on<K extends keyof LivenessEventMap>(type: K, listener: LivenessListener<K>): () => void;
  /**
   * Runs the whole check: support check, camera, models, start, challenge, evidence upload.
   * Resolves with the server's answer; rejects with a `LumenError` (also emitted as `error`).
   */
  start(): Promise<EvidenceResponse>;
  /** Stops a running check; `start()` rejects with `CANCELLED`. */
  cancel(): void;
  /** Cancels if running, stops the camera tracks the SDK opened and terminates the workers. */
  close(): void;
}
