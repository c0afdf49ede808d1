import { describe, expect, it } from "vitest";
import type { ChallengeStep } from "../src/liveness-events.ts";
import { INITIAL_UI_STATE, uiState, type UiEvent, type UiState } from "../src/ui/ui-state.ts";

const run = (events: readonly UiEvent[], from: UiState = INITIAL_UI_STATE): UiState =>
  events.reduce(uiState, from);

const flash: ChallengeStep = {
  kind: "illumination",
  index: 0,
  total: 3,
  light: { pattern: "full", colours: ["#ff0000", "#ff0000"] },
};

describe("uiState", () => {
  it("shows the photosensitivity warning before running a flashing check", () => {
    const warned = run([{ type: "start", flashWarning: true }]);
    expect(warned.phase).toBe("warning");
    expect(warned.flashConsent).toBe(false);
    const confirmed = uiState(warned, { type: "confirm-flash" });
    expect(confirmed.phase).toBe("running");
    expect(confirmed.flashConsent).toBe(true);
  });

  it("skips the warning for a no-flash session, without granting consent to flash", () => {
    const state = run([{ type: "start", flashWarning: false }]);
    expect(state.phase).toBe("running");
    expect(state.flashConsent).toBe(false);
  });

  it("returns to idle with noFlashRequested when the user declines flashing", () => {
    const state = run([{ type: "start", flashWarning: true }, { type: "decline-flash" }]);
    expect(state).toMatchObject({ phase: "idle", noFlashRequested: true, flashConsent: false });
  });

  it("keeps the consent across a retry, so the warning is not shown twice", () => {
    const state = run([
      { type: "start", flashWarning: true },
      { type: "confirm-flash" },
      { type: "result", result: { status: "retry", retryAllowed: true }, virtualCamera: false },
      { type: "start", flashWarning: true },
    ]);
    expect(state.phase).toBe("running");
    expect(state.result).toBeNull();
  });

  it("follows session states, hints, steps and monotonic progress while running", () => {
    let state = run([{ type: "start", flashWarning: false }]);
    state = uiState(state, { type: "session-state", state: "positioning" });
    state = uiState(state, { type: "hint", hint: "too-far" });
    expect(state).toMatchObject({ sessionState: "positioning", hint: "too-far" });
    state = uiState(state, { type: "session-state", state: "challenge" });
    expect(state.hint).toBeNull();
    state = uiState(state, { type: "step", step: flash });
    expect(state.step).toEqual(flash);
    state = uiState(state, {
      type: "step",
      step: { kind: "pose", index: 0, total: 2, direction: "left" },
    });
    expect(state.hint).toBe("pose-left");
    state = uiState(state, { type: "progress", fraction: 0.5 });
    state = uiState(state, { type: "progress", fraction: 0.3 });
    expect(state.progress).toBe(0.5);
    state = uiState(state, { type: "progress", fraction: 7 });
    expect(state.progress).toBe(1);
  });

  it("ignores session events outside a running check and repeated states", () => {
    expect(uiState(INITIAL_UI_STATE, { type: "hint", hint: "no-face" })).toBe(INITIAL_UI_STATE);
    const running = run([{ type: "start", flashWarning: false }]);
    const positioning = uiState(running, { type: "session-state", state: "positioning" });
    expect(uiState(positioning, { type: "session-state", state: "positioning" })).toBe(positioning);
    expect(uiState(positioning, { type: "session-state", state: "closed" })).toBe(positioning);
    expect(uiState(running, { type: "start", flashWarning: true })).toBe(running);
  });

  it("ends in error with the code, or back in idle when the user cancelled", () => {
    const running = run([{ type: "start", flashWarning: true }, { type: "confirm-flash" }]);
    expect(uiState(running, { type: "error", code: "CAMERA_DENIED" })).toMatchObject({
      phase: "error",
      errorCode: "CAMERA_DENIED",
    });
    expect(uiState(running, { type: "error", code: "CANCELLED" })).toMatchObject({
      phase: "idle",
      flashConsent: true,
    });
  });

  it("records the result and the virtual-camera notice", () => {
    const state = run([
      { type: "start", flashWarning: false },
      { type: "result", result: { status: "fail", retryAllowed: false }, virtualCamera: true },
    ]);
    expect(state).toMatchObject({ phase: "result", progress: 1, virtualCamera: true });
  });

  it("resets on disconnect but remembers the consent", () => {
    const state = run([
      { type: "start", flashWarning: true },
      { type: "confirm-flash" },
      { type: "reset" },
    ]);
    expect(state).toEqual({ ...INITIAL_UI_STATE, flashConsent: true });
  });
});

describe("uiState quality hints", () => {
  it("records the tracker's quality issue while running, and its clearing", () => {
    let state = run([{ type: "start", flashWarning: false }]);
    state = uiState(state, { type: "session-state", state: "positioning" });
    state = uiState(state, { type: "quality", issue: "too-dark" });
    expect(state.quality).toBe("too-dark");
    expect(uiState(state, { type: "quality", issue: "too-dark" })).toBe(state);
    // Emitted only on change: a new stage keeps it.
    state = uiState(state, { type: "session-state", state: "challenge" });
    expect(state.quality).toBe("too-dark");
    state = uiState(state, { type: "quality", issue: null });
    expect(state.quality).toBeNull();
  });

  it("ignores quality outside a running check and starts each attempt without one", () => {
    expect(uiState(INITIAL_UI_STATE, { type: "quality", issue: "blurry" })).toBe(INITIAL_UI_STATE);
    const state = run([
      { type: "start", flashWarning: false },
      { type: "quality", issue: "blurry" },
      { type: "error", code: "NETWORK_FAILED" },
      { type: "start", flashWarning: false },
    ]);
    expect(state).toMatchObject({ phase: "running", quality: null });
  });

  it("ends in a VIRTUAL_CAMERA error when the component refuses the camera", () => {
    const state = run([
      { type: "start", flashWarning: false },
      { type: "error", code: "VIRTUAL_CAMERA" },
    ]);
    expect(state).toMatchObject({ phase: "error", errorCode: "VIRTUAL_CAMERA" });
  });
});
