import type { EvidenceResponse } from "@lumen/protocol";
import type { ChallengeStep } from "../liveness-events.ts";
import type { SessionState } from "../session-state.ts";
import type { GuidanceHint } from "../tracking/guidance-hint.ts";
import type { QualityIssue } from "../tracking/quality-issue.ts";
import type { RunningState } from "./liveness-strings.ts";

/** What the component shows: its own flow around one headless session. */
export type UiPhase = "idle" | "warning" | "running" | "result" | "error";

/** The component's whole state; pure data, changed only by {@link uiState}. */
export interface UiState {
  readonly phase: UiPhase;
  /** The user confirmed the photosensitivity warning (kept across retries). */
  readonly flashConsent: boolean;
  /** The user declined flashing; the integrator was asked for a `no-flash` session. */
  readonly noFlashRequested: boolean;
  readonly sessionState: RunningState | null;
  readonly hint: GuidanceHint | null;
  /** The analysed face's current image-quality issue (`null` once fine). */
  readonly quality: QualityIssue | null;
  readonly step: ChallengeStep | null;
  /** 0..1. */
  readonly progress: number;
  readonly result: EvidenceResponse | null;
  /** The camera label looked like a virtual camera (shown with a failed result). */
  readonly virtualCamera: boolean;
  readonly errorCode: string | null;
}

/** Everything that changes {@link UiState}: the user's actions and the session's events. */
export type UiEvent =
  | { readonly type: "start"; readonly flashWarning: boolean }
  | { readonly type: "confirm-flash" }
  | { readonly type: "decline-flash" }
  | { readonly type: "session-state"; readonly state: SessionState }
  | { readonly type: "hint"; readonly hint: GuidanceHint }
  | { readonly type: "quality"; readonly issue: QualityIssue | null }
  | { readonly type: "progress"; readonly fraction: number }
  | { readonly type: "step"; readonly step: ChallengeStep }
  | { readonly type: "result"; readonly result: EvidenceResponse; readonly virtualCamera: boolean }
  | { readonly type: "error"; readonly code: string }
  | { readonly type: "reset" };

/** The state of a freshly connected component. */
export const INITIAL_UI_STATE: UiState = Object.freeze({
  phase: "idle",
  flashConsent: false,
  noFlashRequested: false,
  sessionState: null,
  hint: null,
  quality: null,
  step: null,
  progress: 0,
  result: null,
  virtualCamera: false,
  errorCode: null,
});

const RUNNING_STATES: readonly SessionState[] = [
  "checking-support",
  "opening-camera",
  "loading-models",
  "positioning",
  "challenge",
  "uploading",
];

function running(state: UiState, flashConsent: boolean): UiState {
  return {
    ...INITIAL_UI_STATE,
    phase: "running",
    flashConsent,
    noFlashRequested: state.noFlashRequested,
  };
}

/**
 * The component's reducer: it only sequences what the user sees (warning before any flash,
 * progress, hints, result, error, retry); the element performs the side effects. Events that
 * do not apply in the current phase (a late hint after an error) leave the state unchanged.
 *
 * @example
 * ```ts
 * let state = INITIAL_UI_STATE;
 * state = uiState(state, { type: "start", flashWarning: true }); // phase "warning"
 * state = uiState(state, { type: "confirm-flash" }); // phase "running": start the session now
 * ```
 */
export function uiState(state: UiState, event: UiEvent): UiState {
  switch (event.type) {
    case "start":
      if (state.phase === "warning" || state.phase === "running") return state;
      if (event.flashWarning && !state.flashConsent) {
        return { ...INITIAL_UI_STATE, phase: "warning", noFlashRequested: state.noFlashRequested };
      }
      return running(state, state.flashConsent);
    case "confirm-flash":
      return state.phase === "warning" ? running(state, true) : state;
    case "decline-flash":
      return state.phase === "warning" ? { ...INITIAL_UI_STATE, noFlashRequested: true } : state;
    case "reset":
      return { ...INITIAL_UI_STATE, flashConsent: state.flashConsent };
    default:
      break;
  }
  if (state.phase !== "running") return state;
  switch (event.type) {
    case "session-state":
      if (!RUNNING_STATES.includes(event.state) || event.state === state.sessionState) {
        return state;
      }
      // A new stage makes the previous hint stale.
      return { ...state, sessionState: event.state as RunningState, hint: null, step: null };
    case "hint":
      return { ...state, hint: event.hint };
    case "quality":
      // The session emits quality only when it changes, so it survives stage changes.
      return event.issue === state.quality ? state : { ...state, quality: event.issue };
    case "progress":
      return { ...state, progress: Math.min(1, Math.max(state.progress, event.fraction)) };
    case "step":
      return {
        ...state,
        step: event.step,
        // Announce a head turn at once rather than after the next analysed frame.
        hint: event.step.kind === "pose" ? `pose-${event.step.direction}` : state.hint,
      };
    case "result":
      return {
        ...state,
        phase: "result",
        progress: 1,
        result: event.result,
        virtualCamera: event.virtualCamera,
      };
    case "error":
      // Cancelling is the user's own choice: back to the start, no error shown.
      return event.code === "CANCELLED"
        ? { ...INITIAL_UI_STATE, flashConsent: state.flashConsent }
        : { ...state, phase: "error", errorCode: event.code };
  }
}
