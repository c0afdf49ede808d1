import type { SessionState } from "../session-state.ts";
import type { GuidanceHint } from "../tracking/guidance-hint.ts";
import type { QualityIssue } from "../tracking/quality-issue.ts";

/** The session states the component describes while a check runs. */
export type RunningState = Extract<
  SessionState,
  | "checking-support"
  | "opening-camera"
  | "loading-models"
  | "positioning"
  | "challenge"
  | "uploading"
>;

/**
 * Error messages the component knows by code. Any other code (the server's own) falls back to
 * `generic`. `VIRTUAL_CAMERA` is both the error of a session that refuses virtual cameras and
 * the notice added to a failed check whose camera label looked like one.
 */
export type ErrorMessageCode =
  | "CAMERA_DENIED"
  | "CAMERA_NOT_FOUND"
  | "CAMERA_IN_USE"
  | "UNSUPPORTED_BROWSER"
  | "WORKER_CRASHED"
  | "MODEL_INTEGRITY_FAILED"
  | "MODEL_NOT_FOUND"
  | "NETWORK_FAILED"
  | "CANCELLED"
  | "SESSION_EXPIRED"
  | "RATE_LIMITED"
  | "BUSY"
  | "VIRTUAL_CAMERA"
  | "generic";

/**
 * Every text `<lumen-liveness>` shows or announces, in one language. The bundled locales (en,
 * es, fr, pt, ar) are complete; integrators override any subset through the element's `strings`
 * property (see {@link LivenessStringOverrides}).
 *
 * @example
 * ```ts
 * const strings: LivenessStrings = { ...en, start: "Verify me" };
 * ```
 */
export interface LivenessStrings {
  /** Heading of the component. */
  readonly title: string;
  /** Shown before the check starts. */
  readonly intro: string;
  readonly start: string;
  readonly cancel: string;
  readonly retry: string;
  /** Accessible name of the progress bar. */
  readonly progressLabel: string;
  readonly warningTitle: string;
  readonly warningBody: string;
  /** Confirms the photosensitivity warning and starts the check with flashes. */
  readonly warningConfirm: string;
  /** Declines flashing: the component asks the integrator for a `no-flash` session. */
  readonly warningDecline: string;
  /** Announced after the user declined flashing. */
  readonly noFlashRequested: string;
  /** Announced while the screen flashes colours. */
  readonly flashing: string;
  readonly states: Readonly<Record<RunningState, string>>;
  readonly hints: Readonly<Record<GuidanceHint, string>>;
  /** Image-quality hints of the analysed face, shown while the face is being placed. */
  readonly quality: Readonly<Record<QualityIssue, string>>;
  readonly results: Readonly<Record<"pass" | "fail" | "retry", string>>;
  readonly errors: Readonly<Record<ErrorMessageCode, string>>;
}

/**
 * A partial {@link LivenessStrings}: any top-level text, and any entry of the nested tables.
 *
 * @example
 * ```ts
 * element.strings = { start: "Verify me", errors: { CAMERA_DENIED: "Please allow the camera." } };
 * ```
 */
export type LivenessStringOverrides = {
  readonly [K in keyof LivenessStrings]?: LivenessStrings[K] extends string
    ? string
    : Partial<LivenessStrings[K]>;
};
