import { describe, expect, it } from "vitest";
import { ar } from "../src/ui/locales/ar.ts";
import { en } from "../src/ui/locales/en.ts";
import { es } from "../src/ui/locales/es.ts";
import { fr } from "../src/ui/locales/fr.ts";
import { pt } from "../src/ui/locales/pt.ts";
import { INITIAL_UI_STATE, uiState, type UiEvent, type UiState } from "../src/ui/ui-state.ts";
import { uiView } from "../src/ui/ui-view.ts";

const run = (...events: UiEvent[]): UiState => events.reduce(uiState, INITIAL_UI_STATE);

describe("uiView", () => {
  it("offers start in idle, and says so after the user declined flashing", () => {
    expect(uiView(INITIAL_UI_STATE, en)).toMatchObject({
      message: en.intro,
      showStart: true,
      progressPercent: null,
    });
    const declined = run({ type: "start", flashWarning: true }, { type: "decline-flash" });
    expect(uiView(declined, en).message).toBe(en.noFlashRequested);
  });

  it("announces the warning and shows only its dialog", () => {
    const view = uiView(run({ type: "start", flashWarning: true }), en);
    expect(view).toMatchObject({
      showWarning: true,
      warningOnly: true,
      showStart: false,
      showCancel: false,
    });
    expect(view.message).toContain(en.warningBody);
  });

  it("announces every prompt: state, then hint, then flashing, then head turns", () => {
    let state = run({ type: "start", flashWarning: false });
    expect(uiView(state, en).message).toBe(en.states["checking-support"]);
    state = uiState(state, { type: "session-state", state: "positioning" });
    expect(uiView(state, en).message).toBe(en.states.positioning);
    state = uiState(state, { type: "hint", hint: "too-close" });
    expect(uiView(state, en).message).toBe(en.hints["too-close"]);
    state = uiState(state, { type: "session-state", state: "challenge" });
    state = uiState(state, {
      type: "step",
      step: {
        kind: "illumination",
        index: 0,
        total: 2,
        light: { pattern: "left-right", colours: ["#00ff00", "#0000ff"] },
      },
    });
    expect(uiView(state, en).message).toBe(en.flashing);
    state = uiState(state, {
      type: "step",
      step: { kind: "pose", index: 0, total: 1, direction: "up" },
    });
    expect(uiView(state, en).message).toBe(en.hints["pose-up"]);
    state = uiState(state, { type: "progress", fraction: 0.456 });
    expect(uiView(state, en)).toMatchObject({ progressPercent: 46, showCancel: true });
  });

  it("offers retry only on a retry result the server allows", () => {
    const result = (status: "pass" | "fail" | "retry", retryAllowed: boolean) =>
      uiView(
        run(
          { type: "start", flashWarning: false },
          { type: "result", result: { status, retryAllowed }, virtualCamera: false },
        ),
        en,
      );
    expect(result("retry", true)).toMatchObject({ message: en.results.retry, showRetry: true });
    expect(result("retry", false).showRetry).toBe(false);
    expect(result("fail", false)).toMatchObject({ message: en.results.fail, showRetry: false });
    expect(result("pass", false)).toMatchObject({ message: en.results.pass, progressPercent: 100 });
  });

  it("adds the virtual-camera notice to a failed result", () => {
    const state = run(
      { type: "start", flashWarning: false },
      { type: "result", result: { status: "fail", retryAllowed: false }, virtualCamera: true },
    );
    expect(uiView(state, en).message).toBe(`${en.results.fail} ${en.errors.VIRTUAL_CAMERA}`);
  });

  it("shows typed errors readably, with retry except for an unsupported browser", () => {
    const error = (code: string) =>
      uiView(run({ type: "start", flashWarning: false }, { type: "error", code }), en);
    expect(error("CAMERA_DENIED")).toMatchObject({
      message: en.errors.CAMERA_DENIED,
      isError: true,
      showRetry: true,
    });
    expect(error("UNSUPPORTED_BROWSER").showRetry).toBe(false);
  });

  it("announces the tracker's quality hints while the face is being placed", () => {
    let state = run(
      { type: "start", flashWarning: false },
      { type: "session-state", state: "positioning" },
      { type: "hint", hint: "hold-still" },
    );
    for (const issue of ["too-dark", "too-bright", "blurry", "turned-away"] as const) {
      state = uiState(state, { type: "quality", issue });
      expect(uiView(state, en).message).toBe(en.quality[issue]);
    }
    expect(uiView(state, en).message).toBe("Look straight at the camera.");
    // Cleared: back to the positioning hint.
    state = uiState(state, { type: "quality", issue: null });
    expect(uiView(state, en).message).toBe(en.hints["hold-still"]);
  });

  it("does not announce turned-away during a prompted head turn or a flash", () => {
    let state = run(
      { type: "start", flashWarning: false },
      { type: "session-state", state: "challenge" },
      { type: "quality", issue: "turned-away" },
      { type: "step", step: { kind: "pose", index: 0, total: 1, direction: "left" } },
    );
    expect(uiView(state, en).message).toBe(en.hints["pose-left"]);
    state = uiState(state, {
      type: "step",
      step: {
        kind: "illumination",
        index: 0,
        total: 1,
        light: { pattern: "full", colours: ["#ff0000", "#ff0000"] },
      },
    });
    expect(uiView(state, en).message).toBe(en.flashing);
  });

  it.each([
    ["es", es],
    ["fr", fr],
    ["pt", pt],
    ["ar", ar],
  ] as const)("announces quality hints and VIRTUAL_CAMERA in %s", (_lang, strings) => {
    const placing = run(
      { type: "start", flashWarning: false },
      { type: "session-state", state: "positioning" },
      { type: "quality", issue: "blurry" },
    );
    expect(uiView(placing, strings).message).toBe(strings.quality.blurry);
    expect(strings.quality.blurry).not.toBe(en.quality.blurry);
    const refused = run(
      { type: "start", flashWarning: false },
      { type: "error", code: "VIRTUAL_CAMERA" },
    );
    expect(uiView(refused, strings)).toMatchObject({
      message: strings.errors.VIRTUAL_CAMERA,
      isError: true,
      showRetry: true,
    });
  });
});
