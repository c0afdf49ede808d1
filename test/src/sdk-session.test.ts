import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getModelSpec } from "@lumen/core";
import { ILLUMINATION_REASONS, type SessionResult } from "@lumen/protocol";
import type { SdkRunInput, SdkRunOutput, SdkSessionPage } from "./browser/sdk-run.ts";
import {
  fakeCameraArgs,
  launchChromium,
  MODEL_DIR,
  openSdkPage,
  prepareFakeCamera,
  prepareSdkPage,
  recordForeignRequests,
  REPO_ROOT,
  serveStatic,
  startApiServer,
  type ApiServer,
  type ForeignRequestLog,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// @lumen/sdk's headless session in Chromium, against the real server app: the fake camera plays
// a genuine video; the SDK tracks the face in its analysis worker, gives guidance, runs the
// server's challenge and uploads signed evidence. A fake camera cannot answer flashes or turn its
// head on command, so the verdict must be a fail for exactly those challenge reasons (the
// simulated cooperative source that gets `pass` comes later).

const VIDEO = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d3.mp4");
const MIN_TRACKED_FRACTION = 0.9;
const CHALLENGE_REASONS = [...ILLUMINATION_REASONS, "CHALLENGE_FAILED"];

declare const window: { lumenSdk: SdkSessionPage };

describe("the headless @lumen/sdk session in Chromium against the real server", () => {
  let dir: string;
  let api: ApiServer;
  let pages: StaticServer;
  let deniedPages: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let page: Page;
  let pageBundle: string;
  let workerBundle: string;
  let genuine: SdkRunOutput;
  let genuineVerdict: SessionResult;

  const run = async (tab: Page, base: string, extra: Partial<SdkRunInput> = {}) => {
    const { sessionId, clientToken } = await api.createSession();
    const input: SdkRunInput = {
      serverUrl: api.url,
      sessionId,
      clientToken,
      modelBaseUrl: `${base}/models/`,
      wasmBaseUrl: `${base}/ort/`,
      ...extra,
    };
    const output = await tab.evaluate((i) => window.lumenSdk.run(i), input);
    return { sessionId, output };
  };

  const openPage = (server: StaticServer): Promise<Page> =>
    openSdkPage(browser.context, server.url, "lumenSdk");

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-sdk-session-"));
    const y4m = await prepareFakeCamera(VIDEO);
    // Two page servers (two origins): the second forbids the camera by Permissions-Policy, so
    // the browser itself denies getUserMedia. Their ports are known only once they listen, so
    // the API server (whose CORS list needs them) starts after, and the CSP is permissive on
    // connect-src to 127.0.0.1 only.
    const sdk = await prepareSdkPage({
      page: "sdk-session",
      dir,
      workers: ["analysis"],
      connectSrc: ["http://127.0.0.1:*"],
    });
    pageBundle = sdk.bundles.page;
    workerBundle = sdk.bundles.analysis ?? "";
    // The analysis worker, poisoned on the page's request: an uncaught error in the worker.
    await writeFile(
      join(dir, "poisoned-analysis-worker.mjs"),
      [
        'import "./analysis-worker.mjs";',
        "self.addEventListener('message', (event) => {",
        "  if (event.data?.lumenTestPoison) setTimeout(() => { throw new Error('poisoned by the test'); });",
        "});",
      ].join("\n"),
    );
    // A model folder whose detector is another file: its pin must refuse it.
    await copyFile(join(MODEL_DIR, getModelSpec("mesonet4-df").file), join(dir, "tampered.onnx"));

    const routes: Record<string, string> = {
      ...sdk.routes,
      "/poisoned-analysis-worker.mjs": join(dir, "poisoned-analysis-worker.mjs"),
    };
    for (const file of sdk.modelFiles) routes[`/tampered-models/${file}`] = join(MODEL_DIR, file);
    routes[`/tampered-models/${getModelSpec("face-detector").file}`] = join(dir, "tampered.onnx");

    pages = await serveStatic({ routes, headers: { "Content-Security-Policy": sdk.csp } });
    deniedPages = await serveStatic({
      routes,
      headers: { "Content-Security-Policy": sdk.csp, "Permissions-Policy": "camera=()" },
    });
    api = await startApiServer({ modelDir: MODEL_DIR, pageOrigins: [pages.url, deniedPages.url] });

    browser = await launchChromium({ args: fakeCameraArgs(y4m) });
    foreign = await recordForeignRequests(browser.context);
    page = await openPage(pages);
    const result = await run(page, pages.url);
    genuine = result.output;
    genuineVerdict = await api.getSession(result.sessionId);
    console.log("genuine run:", JSON.stringify({ ...genuine, hints: undefined }, null, 1));
    console.log("hints:", genuine.hints.join(" "));
    console.log(
      "verdict:",
      JSON.stringify({
        decision: genuineVerdict.decision,
        reasons: genuineVerdict.reasons,
        scores: genuineVerdict.scores,
      }),
    );
  });

  afterAll(async () => {
    await browser.close();
    await pages.close();
    await deniedPages.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("bundles for the browser without a single node: import", () => {
    for (const code of [pageBundle, workerBundle]) {
      expect(code).not.toMatch(/\bimport\s*(?:[\w*{}\s,]+from\s*)?\(?\s*["']node:/);
    }
    // onnxruntime-web's Node-only branches (behind its own `process.versions.node` check) keep
    // `require("node:fs")`, which esbuild turns into its throwing `__require` shim; nothing else.
    const requires = [...workerBundle.matchAll(/\w+\(["'](node:[a-z_/]+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(["node:fs/promises", "node:fs", "node:os"]));
    expect(pageBundle).not.toContain("node:");
    // The models run in the worker: the page bundle carries no inference runtime.
    expect(pageBundle).not.toContain("InferenceSession");
    expect(workerBundle).toContain("InferenceSession");
    // One runtime: MediaPipe's is gone from both.
    for (const code of [pageBundle, workerBundle]) expect(code).not.toContain("FaceLandmarker");
  });

  it(`runs the models in one worker and tracks the face on ≥ ${MIN_TRACKED_FRACTION * 100}% of analysed frames`, () => {
    const { stats } = genuine;
    expect(genuine.errorCode, genuine.errorMessage ?? "").toBeNull();
    expect(genuine.workersCreated).toBe(1);
    expect(stats.executionProvider).toBe("wasm");
    expect(stats.framesAnalysed).toBeGreaterThanOrEqual(20);
    expect(genuine.framesReported).toBe(stats.framesAnalysed);
    expect(stats.framesTracked / stats.framesAnalysed).toBeGreaterThanOrEqual(MIN_TRACKED_FRACTION);
    // Back-pressure: the camera outpaces the worker, and the excess is dropped, not queued.
    expect(stats.framesSeen).toBeGreaterThan(stats.framesAnalysed);
    expect(stats.framesDropped).toBeGreaterThan(0);
    // Chromium's fake capture device is labelled "fake_device_0": rightly flagged.
    expect(stats.virtualCameraLabel).toBe(true);
  });

  it("emits guidance hints and every challenge step", () => {
    expect(genuine.hints.length).toBeGreaterThan(0);
    expect(genuine.hints.some((hint) => hint.startsWith("pose-"))).toBe(true);
    expect(genuine.states).toEqual([
      "checking-support",
      "opening-camera",
      "loading-models",
      "positioning",
      "challenge",
      "uploading",
      "completed",
      "closed",
    ]);
    const lit = genuine.steps.filter((s) => s.startsWith("illumination:"));
    expect(lit.length).toBeGreaterThanOrEqual(7);
    expect(genuine.steps.filter((s) => s.startsWith("pose:")).length).toBeGreaterThanOrEqual(2);
    // Each step was painted over the page, split steps as two halves, then the screen cleared.
    const paints = genuine.colourPaints.map((p) => p.colour);
    expect(paints.some((p) => p?.startsWith("linear-gradient(to right") === true)).toBe(true);
    expect(paints.some((p) => p?.startsWith("linear-gradient(to bottom") === true)).toBe(true);
    expect(paints.at(-1)).toBeNull();
  });

  it("completes the session: a verdict whose reasons are the unanswered challenges (and the fake camera's label)", () => {
    expect(genuine.status).toBe("fail");
    expect(genuine.retryAllowed).toBe(false);
    expect(genuineVerdict.status).toBe("completed");
    expect(genuineVerdict.decision).toBe("fail");
    expect(genuineVerdict.verdict).not.toBeNull();
    // The face itself passes: no spoof, deepfake, quality, face-change or tampering reason. A
    // fake camera never answers the flashes; whether the video's own head movement happens to
    // follow the random pose prompts varies, so CHALLENGE_FAILED may or may not be there.
    const allowed = [...CHALLENGE_REASONS, "INJECTION_SUSPECTED"];
    for (const reason of genuineVerdict.reasons) {
      expect(allowed, `unexpected reason ${reason}`).toContain(reason);
    }
    expect(
      genuineVerdict.reasons.some((reason) => ILLUMINATION_REASONS.some((r) => r === reason)),
    ).toBe(true);
    expect(genuineVerdict.reasons).toContain("INJECTION_SUSPECTED");
    // INJECTION_SUSPECTED comes from the label signal, not from the frame timing the SDK reports.
    expect(genuineVerdict.scores?.minFrameIntervalMs).toBeGreaterThan(5);
  });

  it("surfaces a model that fails its pin as MODEL_INTEGRITY_FAILED", async () => {
    const { output } = await run(page, pages.url, {
      modelBaseUrl: `${pages.url}/tampered-models/`,
    });
    expect(output.errorCode).toBe("MODEL_INTEGRITY_FAILED");
    expect(output.states.at(-2)).toBe("failed");
  });

  it("surfaces a worker that throws mid-session as WORKER_CRASHED", async () => {
    const { output } = await run(page, pages.url, { workerFault: "throw" });
    expect(output.errorCode, output.errorMessage ?? "").toBe("WORKER_CRASHED");
    expect(output.errorMessage).toContain("poisoned by the test");
    expect(output.states.at(-2)).toBe("failed");
  });

  it("surfaces a worker killed from outside (no event at all) as WORKER_CRASHED", async () => {
    const { output } = await run(page, pages.url, { workerFault: "terminate" });
    expect(output.errorCode, output.errorMessage ?? "").toBe("WORKER_CRASHED");
    expect(output.errorMessage).toContain("did not answer");
    expect(output.states.at(-2)).toBe("failed");
  });

  it("surfaces a camera the browser denies as CAMERA_DENIED", async () => {
    const tab = await openPage(deniedPages);
    const { output } = await run(tab, deniedPages.url);
    await tab.close();
    expect(output.errorCode, output.errorMessage ?? "").toBe("CAMERA_DENIED");
    expect(output.stats.framesAnalysed).toBe(0);
  });

  it("surfaces a missing camera (NotFoundError) as CAMERA_NOT_FOUND", async () => {
    const tab = await openPage(pages);
    const { output } = await run(tab, pages.url, { cameraFailure: "NotFoundError" });
    await tab.close();
    expect(output.errorCode).toBe("CAMERA_NOT_FOUND");
  });

  it("sent no request off 127.0.0.1", () => {
    expect(foreign.urls).toEqual([]);
    expect(pages.requests.filter(({ status }) => status !== 200)).toEqual([]);
  });
});
