import type { EvidenceResponse } from "@lumen/protocol";
import type { ChallengeDisplay } from "../challenge-display.ts";
import type { LivenessSession } from "../liveness-session.ts";
import type { VirtualCameraPolicy } from "../liveness-session-options.ts";
import { createOverlayDisplay } from "./create-overlay-display.ts";
import type { LivenessStringOverrides } from "./liveness-strings.ts";
import { LUMEN_LIVENESS_STYLES } from "./lumen-liveness-styles.ts";
import { resolveLocale, type ResolvedLocale } from "./resolve-locale.ts";
import { INITIAL_UI_STATE, uiState, type UiEvent, type UiState } from "./ui-state.ts";
import { uiView } from "./ui-view.ts";

/** Session options the component asks for; spread them into `createLivenessSession`. */
export interface ComponentSessionOptions {
  /** From the `virtual-camera` attribute: `"refuse"` unless it says `"report"`. */
  readonly virtualCamera: VirtualCameraPolicy;
}

/**
 * Makes the headless session the component drives, given the display it paints flashes on and
 * the options the component asks for. Called on every start and retry (a server session is
 * single-use), so it usually asks the integrator's backend for a new session id first.
 */
export type CreateSessionForDisplay = (
  display: ChallengeDisplay,
  options: ComponentSessionOptions,
) => LivenessSession | Promise<LivenessSession>;

/** `detail` of the `lumen-error` event. */
export interface LumenErrorEventDetail {
  readonly code: string;
  /** The readable message shown to the user, in the component's language. */
  readonly message: string;
}

// Static markup only: every text is set later with textContent, never parsed as HTML.
const TEMPLATE = `
<section id="root" class="root" part="root" aria-labelledby="title" tabindex="-1">
  <h2 id="title"></h2>
  <div id="stage" class="stage" part="stage">
    <video part="preview" muted playsinline aria-hidden="true" hidden></video>
    <svg class="oval" viewBox="0 0 90 120" aria-hidden="true" focusable="false">
      <ellipse cx="45" cy="60" rx="40" ry="55"></ellipse>
    </svg>
  </div>
  <p id="message" class="message" part="message" role="status" aria-live="polite" aria-atomic="true"></p>
  <div id="progress" class="progress" part="progress" role="progressbar"
       aria-valuemin="0" aria-valuemax="100" aria-valuenow="0" hidden><div class="bar"></div></div>
  <div id="warning" class="warning" part="warning" role="dialog" tabindex="-1"
       aria-labelledby="warning-title" aria-describedby="warning-body" hidden>
    <h3 id="warning-title"></h3>
    <p id="warning-body"></p>
    <div class="actions">
      <button type="button" id="confirm" class="primary" part="button confirm"></button>
      <button type="button" id="decline" part="button decline"></button>
    </div>
  </div>
  <div class="actions">
    <button type="button" id="start" class="primary" part="button start"></button>
    <button type="button" id="retry" class="primary" part="button retry" hidden></button>
    <button type="button" id="cancel" part="button cancel" hidden></button>
  </div>
</section>
<div id="flash" class="flash" part="flash" aria-hidden="true" hidden></div>
`;

function byId(root: ShadowRoot, id: string): HTMLElement {
  const found = root.getElementById(id);
  if (!found) throw new Error(`lumen-liveness: #${id} missing from the template`);
  return found;
}

function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "INTERNAL";
}

/**
 * `<lumen-liveness>`: the framework-free face check UI on top of the headless session. It shows
 * the oval guide, live hints in an `aria-live` region, a progress bar, a photosensitivity
 * warning before any flash (with a no-flash alternative), the full-screen flash overlay,
 * readable errors and a retry flow, in en, es, fr, pt or ar (from `lang`, right-to-left for
 * Arabic); every text can be overridden through `strings`. Removing the element closes the
 * session: camera off, worker terminated.
 *
 * Attributes: `lang`; `flash-policy="no-flash"` when `createSession` makes a `no-flash`
 * session (no warning then); `virtual-camera="report"` to go on with a camera whose label names
 * a virtual camera (default: refuse it with the `VIRTUAL_CAMERA` message). Events (bubbling, composed): `lumen-result` (detail: the server's
 * answer), `lumen-error` ({@link LumenErrorEventDetail}), `lumen-no-flash` (the user declined
 * flashing: create `no-flash` sessions and set `flash-policy`), `lumen-cancel`.
 *
 * @example
 * ```ts
 * defineLumenLiveness();
 * const element = document.createElement("lumen-liveness");
 * element.createSession = async (display, options) =>
 *   createLivenessSession({ ...(await newSessionFromMyBackend()), assets, display, ...options });
 * element.addEventListener("lumen-result", (event) => proceed(event.detail.status));
 * document.body.append(element);
 * ```
 */
export class LumenLivenessElement extends HTMLElement {
  static readonly observedAttributes = ["lang", "flash-policy", "virtual-camera"];

  /** Makes a session per attempt; required before `start()`. */
  createSession: CreateSessionForDisplay | null = null;

  readonly #root: ShadowRoot;
  readonly #display: ChallengeDisplay;
  #state: UiState = INITIAL_UI_STATE;
  #strings: LivenessStringOverrides = {};
  #session: LivenessSession | null = null;
  #attempt = 0;
  #lastMessage = "";

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = LUMEN_LIVENESS_STYLES;
    const template = document.createElement("template");
    template.innerHTML = TEMPLATE;
    this.#root.append(style, template.content);
    this.#display = createOverlayDisplay(this.#el("flash"), {
      canFlash: () => this.#state.flashConsent && this.#state.phase === "running",
    });
    this.#el("start").addEventListener("click", () => {
      this.start();
    });
    this.#el("retry").addEventListener("click", () => {
      this.start();
    });
    this.#el("cancel").addEventListener("click", () => {
      this.#session?.cancel();
    });
    this.#el("confirm").addEventListener("click", () => {
      this.#dispatch({ type: "confirm-flash" });
    });
    this.#el("decline").addEventListener("click", () => {
      this.#dispatch({ type: "decline-flash" });
    });
  }

  /** Text overrides over the bundled locale of `lang`; setting re-renders. */
  get strings(): LivenessStringOverrides {
    return this.#strings;
  }

  set strings(value: LivenessStringOverrides) {
    this.#strings = value;
    this.#render();
  }

  /** A camera preview shown inside the oval (optional: the session owns its own stream). */
  set preview(stream: MediaStream | null) {
    const video = this.#el("preview") as HTMLVideoElement;
    video.srcObject = stream;
    video.hidden = stream === null;
    if (stream) void video.play().catch(() => undefined);
  }

  /** The component's current state (read-only data). */
  get state(): UiState {
    return this.#state;
  }

  /**
   * Starts a check (what the start and retry buttons do): shows the photosensitivity warning
   * first unless already confirmed or `flash-policy="no-flash"`.
   *
   * @throws {TypeError} When `createSession` is not set.
   */
  start(): void {
    if (typeof this.createSession !== "function") {
      throw new TypeError("lumen-liveness: set createSession before starting");
    }
    this.#dispatch({
      type: "start",
      flashWarning: this.getAttribute("flash-policy") !== "no-flash",
    });
  }

  connectedCallback(): void {
    this.#render();
  }

  disconnectedCallback(): void {
    this.#attempt++;
    this.#session?.close();
    this.#session = null;
    this.#el("flash").hidden = true;
    this.#dispatch({ type: "reset" });
  }

  attributeChangedCallback(): void {
    this.#render();
  }

  #el(id: string): HTMLElement {
    return byId(this.#root, id);
  }

  #locale(): ResolvedLocale {
    const lang =
      this.getAttribute("lang") ??
      this.parentElement?.closest("[lang]")?.getAttribute("lang") ??
      navigator.language;
    return resolveLocale(lang, this.#strings);
  }

  #dispatch(event: UiEvent): void {
    const previous = this.#state;
    const next = uiState(previous, event);
    if (next === previous) return;
    // Read before rendering: hiding the focused button (cancel, confirm) drops its focus.
    const hadFocus = this.#root.activeElement !== null;
    this.#state = next;
    this.#render();
    if (next.phase === previous.phase) return;
    this.#focusFor(next, hadFocus);
    const { strings } = this.#locale();
    switch (next.phase) {
      case "running":
        void this.#run();
        break;
      case "idle":
        if (event.type === "decline-flash") this.#emit("lumen-no-flash", null);
        if (event.type === "error") this.#emit("lumen-cancel", null);
        break;
      case "result":
        this.#emit("lumen-result", next.result);
        break;
      case "error":
        this.#emit("lumen-error", {
          code: next.errorCode ?? "INTERNAL",
          message: uiView(next, strings).message,
        } satisfies LumenErrorEventDetail);
        break;
      case "warning":
        break;
    }
  }

  async #run(): Promise<void> {
    const attempt = ++this.#attempt;
    const current = (): boolean => attempt === this.#attempt && this.isConnected;
    let session: LivenessSession | null = null;
    try {
      const factory = this.createSession;
      if (!factory) throw new TypeError("lumen-liveness: createSession is not set");
      const virtualCamera: VirtualCameraPolicy =
        this.getAttribute("virtual-camera") === "report" ? "report" : "refuse";
      session = await factory(this.#display, { virtualCamera });
      if (!current()) return;
      this.#session = session;
      const opened = session;
      session.on("state", ({ state }) => {
        // The camera is open once models load: enforce "refuse" even on a session created
        // without the option (the integrator's factory may ignore it).
        if (
          state === "loading-models" &&
          virtualCamera === "refuse" &&
          opened.stats.virtualCameraLabel
        ) {
          this.#dispatch({ type: "error", code: "VIRTUAL_CAMERA" });
          opened.cancel();
          return;
        }
        this.#dispatch({ type: "session-state", state });
      });
      session.on("hint", ({ hint }) => {
        this.#dispatch({ type: "hint", hint });
      });
      session.on("quality", ({ issue }) => {
        this.#dispatch({ type: "quality", issue });
      });
      session.on("progress", ({ fraction }) => {
        this.#dispatch({ type: "progress", fraction });
      });
      session.on("step", ({ step }) => {
        this.#dispatch({ type: "step", step });
      });
      const result: EvidenceResponse = await session.start();
      if (!current()) return;
      this.#dispatch({ type: "result", result, virtualCamera: session.stats.virtualCameraLabel });
    } catch (error) {
      if (current()) this.#dispatch({ type: "error", code: errorCodeOf(error) });
    } finally {
      // Camera off and worker terminated as soon as the attempt ends, whatever its outcome.
      this.#el("flash").hidden = true;
      session?.close();
      if (this.#session === session) this.#session = null;
    }
  }

  #emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #focusFor(state: UiState, hadFocus: boolean): void {
    const target =
      state.phase === "warning"
        ? this.#el("warning")
        : state.phase === "idle"
          ? this.#el("start")
          : uiView(state, this.#locale().strings).showRetry
            ? this.#el("retry")
            : this.#el("root");
    // Only move focus the user already had inside the component; never steal it from the page.
    if (hadFocus || state.phase === "warning") target.focus();
  }

  #render(): void {
    const { lang, dir, strings } = this.#locale();
    const view = uiView(this.#state, strings);
    const root = this.#el("root");
    root.lang = lang;
    root.dir = dir;
    this.#el("title").textContent = strings.title;
    const message = this.#el("message");
    if (view.message !== this.#lastMessage) {
      message.textContent = view.message;
      this.#lastMessage = view.message;
    }
    message.classList.toggle("error", view.isError);
    message.classList.toggle("visually-hidden", view.warningOnly);
    this.#el("stage").hidden = view.warningOnly;
    const progress = this.#el("progress");
    progress.hidden = view.progressPercent === null;
    progress.setAttribute("aria-label", strings.progressLabel);
    progress.setAttribute("aria-valuenow", String(view.progressPercent ?? 0));
    const bar = progress.firstElementChild as HTMLElement | null;
    if (bar) bar.style.inlineSize = `${view.progressPercent ?? 0}%`;
    this.#el("warning").hidden = !view.showWarning;
    this.#el("warning-title").textContent = strings.warningTitle;
    this.#el("warning-body").textContent = strings.warningBody;
    this.#el("confirm").textContent = strings.warningConfirm;
    this.#el("decline").textContent = strings.warningDecline;
    for (const [id, shown, text] of [
      ["start", view.showStart, strings.start],
      ["retry", view.showRetry, strings.retry],
      ["cancel", view.showCancel, strings.cancel],
    ] as const) {
      const button = this.#el(id);
      button.hidden = !shown;
      button.textContent = text;
    }
  }
}
