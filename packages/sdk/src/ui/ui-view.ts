import type { LivenessStrings } from "./liveness-strings.ts";
import { messageFor } from "./message-for.ts";
import type { UiState } from "./ui-state.ts";

/** What the element renders for one {@link UiState}: texts resolved, controls decided. */
export interface UiView {
  /** The text of the `aria-live` region: the current prompt, hint, result or error. */
  readonly message: string;
  /** Shown as an error (`role` stays polite: the region must exist before it changes). */
  readonly isError: boolean;
  /**
   * The message is for screen readers only: the warning dialog shows the same text, and the
   * oval guide is hidden so the dialog fits on small screens.
   */
  readonly warningOnly: boolean;
  /** 0..100, or `null` when no check is running or finished. */
  readonly progressPercent: number | null;
  readonly showStart: boolean;
  readonly showWarning: boolean;
  readonly showCancel: boolean;
  readonly showRetry: boolean;
}

/**
 * Derives what the element shows from its state and texts. Pure, so every prompt the user
 * hears is unit-tested; the element only copies the view into its shadow DOM.
 *
 * @example
 * ```ts
 * uiView({ ...INITIAL_UI_STATE, phase: "error", errorCode: "CAMERA_DENIED" }, en).message;
 * // "Camera access was blocked. …"
 * ```
 */
export function uiView(state: UiState, strings: LivenessStrings): UiView {
  const hidden = {
    isError: false,
    warningOnly: false,
    progressPercent: null,
    showStart: false,
    showWarning: false,
    showCancel: false,
    showRetry: false,
  };
  switch (state.phase) {
    case "idle":
      return {
        ...hidden,
        message: state.noFlashRequested ? strings.noFlashRequested : strings.intro,
        showStart: true,
      };
    case "warning":
      return {
        ...hidden,
        message: `${strings.warningTitle}. ${strings.warningBody}`,
        showWarning: true,
        warningOnly: true,
      };
    case "running": {
      let message = strings.states[state.sessionState ?? "checking-support"];
      if (state.step?.kind === "illumination") message = strings.flashing;
      // Quality first while placing the face: positioning waits for it. Not during the
      // challenge, where a prompted head turn is "turned away" on purpose.
      else if (state.quality !== null && state.sessionState === "positioning") {
        message = strings.quality[state.quality];
      } else if (state.hint !== null) message = strings.hints[state.hint];
      return {
        ...hidden,
        message,
        progressPercent: Math.round(state.progress * 100),
        showCancel: true,
      };
    }
    case "result": {
      const status = state.result?.status ?? "fail";
      const retry = status === "retry" && state.result?.retryAllowed === true;
      const notice =
        status !== "pass" && state.virtualCamera ? ` ${strings.errors.VIRTUAL_CAMERA}` : "";
      return {
        ...hidden,
        message: `${strings.results[status]}${notice}`,
        progressPercent: 100,
        showRetry: retry,
      };
    }
    case "error":
      return {
        ...hidden,
        message: messageFor(state.errorCode ?? "generic", strings),
        isError: true,
        // A browser that lacks a feature will lack it again.
        showRetry: state.errorCode !== "UNSUPPORTED_BROWSER",
      };
  }
}
