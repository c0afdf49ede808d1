import type { EvidenceResponse, LumenError, PoseDirection } from "@lumen/protocol";
import type { IlluminationLight } from "./challenge-display.ts";
import type { SessionState } from "./session-state.ts";
import type { GuidanceHint } from "./tracking/guidance-hint.ts";
import type { QualityIssue } from "./tracking/quality-issue.ts";

/** One step of the server's challenge as the user sees it. */
export type ChallengeStep =
  | {
      readonly kind: "illumination";
      readonly index: number;
      readonly total: number;
      readonly light: IlluminationLight;
    }
  | {
      readonly kind: "pose";
      readonly index: number;
      readonly total: number;
      readonly direction: PoseDirection;
    };

/** What one analysed frame showed; no pixels and no landmarks leave the SDK this way. */
export interface FrameReport {
  readonly capturedAt: number;
  readonly faces: number;
  /** A face was found and meshed. */
  readonly tracked: boolean;
  readonly yawDegrees: number | null;
  readonly pitchDegrees: number | null;
}

/**
 * Every event of a liveness session and its payload. Listen with `session.on(type, listener)`.
 *
 * @example
 * ```ts
 * session.on("hint", ({ hint }) => (label.textContent = messages[hint]));
 * session.on("result", ({ status }) => (status === "pass" ? proceed() : offerRetry()));
 * ```
 */
export interface LivenessEventMap {
  readonly state: { readonly state: SessionState };
  /** Live guidance for the user; the same hint is not repeated until it changes. */
  readonly hint: { readonly hint: GuidanceHint };
  /**
   * Image-quality guidance from the analysed frames (too dark, too bright, blurry, turned away),
   * `null` once it is fine; emitted when it changes. Positioning waits until it is `null`.
   */
  readonly quality: { readonly issue: QualityIssue | null };
  /** Overall progress 0..1 through positioning, challenge and upload. */
  readonly progress: { readonly fraction: number };
  readonly step: { readonly step: ChallengeStep };
  readonly frame: FrameReport;
  readonly error: { readonly error: LumenError };
  /** The server's answer: never scores, only pass / fail / retry. */
  readonly result: EvidenceResponse;
}

/** A listener of one event type. */
export type LivenessListener<K extends keyof LivenessEventMap> = (
  detail: LivenessEventMap[K],
) => void;
