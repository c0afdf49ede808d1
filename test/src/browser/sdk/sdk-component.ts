// Browser half of test/src/sdk-component.test.ts (DOM types: its own tsconfig), bundled by
// esbuild when the test starts: mounts <lumen-liveness> with either the SDK's real session or a
// scripted fake one (the element's own `createSession` seam), and records what the user would
// see and when. The test calls `globalThis.lumenComponent.*`.
import {
  createLivenessSession,
  defineLumenLiveness,
  illuminationBackground,
  LumenError,
  type ChallengeDisplay,
  type IlluminationLight,
  type LivenessEventMap,
  type LivenessSession,
  type LumenErrorCode,
} from "@lumen/sdk";
import type {
  AxeViolation,
  ComponentLog,
  MountInput,
  SdkComponentPage,
} from "../sdk-component-page.ts";

declare const axe: {
  run(
    context: Node,
    options: object,
  ): Promise<{
    violations: {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }[];
  }>;
};

const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

interface MutableLog {
  warningPaintedAt: number | null;
  confirmedAt: number | null;
  sessionsCreated: number[];
  sessionsClosed: number;
  colourPaints: { colour: string | null; at: number; painted: string | null }[];
  events: string[];
  announcements: string[];
}

let log: MutableLog = freshLog();
let element: HTMLElementTagNameMap["lumen-liveness"] | null = null;

function freshLog(): MutableLog {
  return {
    warningPaintedAt: null,
    confirmedAt: null,
    sessionsCreated: [],
    sessionsClosed: 0,
    colourPaints: [],
    events: [],
    announcements: [],
  };
}

/** A scripted headless session: the SDK's events and a flash plan, no camera or server. */
function fakeSession(display: ChallengeDisplay, outcome: string): LivenessSession {
  const listeners = new Map<string, Set<(detail: never) => void>>();
  let closed = false;
  let closeCalled = false;
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const emit = <K extends keyof LivenessEventMap>(type: K, detail: LivenessEventMap[K]): void => {
    for (const listener of listeners.get(type) ?? []) {
      (listener as (d: LivenessEventMap[K]) => void)(detail);
    }
  };
  const stopIfClosed = (): void => {
    if (closed) throw new LumenError("CANCELLED", "closed");
  };
  return {
    state: "idle",
    stats: {
      framesSeen: 0,
      framesAnalysed: 0,
      framesTracked: 0,
      framesDropped: 0,
      evidenceFrames: 0,
      executionProvider: null,
      webGpuUnavailable: null,
      meanAnalysisMs: null,
      virtualCameraLabel: false,
    },
    on(type, listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    async start() {
      for (const state of ["checking-support", "opening-camera", "loading-models"] as const) {
        emit("state", { state });
        await sleep(20);
      }
      if (outcome === "hang") await released;
      stopIfClosed();
      if (!["pass", "fail", "retry"].includes(outcome)) {
        throw new LumenError(outcome as LumenErrorCode, "scripted by the test");
      }
      emit("state", { state: "positioning" });
      emit("quality", { issue: "too-dark" });
      await sleep(30);
      emit("quality", { issue: null });
      emit("hint", { hint: "too-far" });
      await sleep(30);
      emit("hint", { hint: "hold-still" });
      // As in the SDK, a hint stays for a few frames before the next stage replaces it.
      await sleep(30);
      emit("progress", { fraction: 0.2 });
      emit("state", { state: "challenge" });
      const lights: IlluminationLight[] = [
        { pattern: "full", colours: ["#ff0000", "#ff0000"] },
        { pattern: "full", colours: ["#00ff00", "#00ff00"] },
        { pattern: "left-right", colours: ["#0000ff", "#ffff00"] },
      ];
      for (const [index, light] of lights.entries()) {
        emit("step", { step: { kind: "illumination", index, total: lights.length, light } });
        const at = await display.showIllumination(light);
        // What the overlay really painted, as the browser computed it.
        const overlay = element?.shadowRoot?.querySelector<HTMLElement>("#flash");
        const painted = overlay ? getComputedStyle(overlay).background : null;
        log.colourPaints.push({ colour: illuminationBackground(light), at, painted });
        await sleep(60);
        stopIfClosed();
      }
      log.colourPaints.push({
        colour: null,
        at: await display.showIllumination(null),
        painted: null,
      });
      emit("step", { step: { kind: "pose", index: 0, total: 1, direction: "left" } });
      await sleep(30);
      emit("hint", { hint: "pose-reached" });
      await sleep(30);
      emit("state", { state: "uploading" });
      emit("progress", { fraction: 1 });
      stopIfClosed();
      return { status: outcome as "pass" | "fail" | "retry", retryAllowed: outcome === "retry" };
    },
    cancel() {
      closed = true;
      release();
    },
    close() {
      if (!closeCalled) log.sessionsClosed++;
      closeCalled = true;
      closed = true;
      release();
    },
  };
}

function watch(target: HTMLElementTagNameMap["lumen-liveness"]): void {
  const root = target.shadowRoot;
  if (!root) throw new Error("no open shadow root");
  const warning = root.getElementById("warning");
  const message = root.getElementById("message");
  if (!warning || !message) throw new Error("template changed");
  new MutationObserver(() => {
    if (!warning.hidden && log.warningPaintedAt === null) {
      requestAnimationFrame(() => {
        log.warningPaintedAt ??= now();
      });
    }
    const text = message.textContent;
    if (text && log.announcements.at(-1) !== text) log.announcements.push(text);
  }).observe(root, { attributes: true, childList: true, subtree: true, characterData: true });
  // Capture phase on the shadow root: before the element's own handler starts the session.
  root.addEventListener(
    "click",
    (event) => {
      if ((event.target as Element | null)?.id === "confirm") log.confirmedAt ??= now();
    },
    { capture: true },
  );
  for (const type of ["lumen-result", "lumen-error", "lumen-no-flash", "lumen-cancel"]) {
    target.addEventListener(type, (event) => {
      log.events.push(`${type} ${JSON.stringify((event as CustomEvent).detail)}`);
    });
  }
}

const VIRTUAL_CAMERA_LABEL = "OBS Virtual Camera";

/** Test seam: the page's only camera is a virtual one, by its label. */
function installVirtualCamera(): void {
  const devices = navigator.mediaDevices;
  devices.getUserMedia = () => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    canvas.getContext("2d")?.fillRect(0, 0, 640, 480);
    const stream = canvas.captureStream(15);
    for (const track of stream.getVideoTracks()) {
      Object.defineProperty(track, "label", { value: VIRTUAL_CAMERA_LABEL });
    }
    return Promise.resolve(stream);
  };
  devices.enumerateDevices = () =>
    Promise.resolve([
      {
        deviceId: "virtual-0",
        groupId: "virtual",
        kind: "videoinput",
        label: VIRTUAL_CAMERA_LABEL,
        toJSON: () => ({}),
      },
    ]);
}

function mount(input: MountInput): void {
  defineLumenLiveness();
  element?.remove();
  log = freshLog();
  if (input.camera === "virtual") installVirtualCamera();
  const next = document.createElement("lumen-liveness");
  if (input.lang !== undefined) next.setAttribute("lang", input.lang);
  if (input.virtualCameraAttribute !== undefined) {
    next.setAttribute("virtual-camera", input.virtualCameraAttribute);
  }
  const outcomes = [...(input.outcomes ?? ["pass"])];
  next.createSession = (display, options) => {
    log.sessionsCreated.push(now());
    if (input.mode === "fake") return fakeSession(display, outcomes.shift() ?? "pass");
    return createLivenessSession({
      serverUrl: location.origin,
      clientToken: "client-token-never-used",
      sessionId: `ses_${"a".repeat(22)}`,
      assets: { modelBaseUrl: "/models/" },
      display,
      createWorker: () => new Worker("/no-worker.mjs", { type: "module" }),
      ...(input.ignoreSessionOptions === true ? {} : options),
    });
  };
  watch(next);
  document.querySelector("main")?.append(next);
  element = next;
}

const page: SdkComponentPage = {
  mount,
  log: (): ComponentLog => structuredClone(log),
  liveText: () => element?.shadowRoot?.getElementById("message")?.textContent ?? "",
  direction: () => {
    const root = element?.shadowRoot?.getElementById("root");
    return root ? getComputedStyle(root).direction : "";
  },
  remove: () => {
    element?.remove();
  },
  focusedId: () => element?.shadowRoot?.activeElement?.id ?? null,
  async axe() {
    const { violations } = await axe.run(document, {});
    return violations.map((v): AxeViolation => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  },
};
(globalThis as unknown as { lumenComponent: SdkComponentPage }).lumenComponent = page;
