import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { frameScoreDeltas } from "./browser/frame-scores.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebGpuPage, WebGpuRunOutput } from "./browser/sdk-webgpu-run.ts";
import {
  launchChromium,
  openSdkPage,
  prepareSdkPage,
  recordForeignRequests,
  REPO_ROOT,
  serveStatic,
  type ForeignRequestLog,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// @lumen/sdk's analysis worker on onnxruntime-web's WebGPU execution provider, in Chromium with
// `--enable-unsafe-webgpu` (here a SwiftShader software adapter, allowed for this correctness
// test: it is some 50 times slower than WASM), against the same worker on WASM, on the same
// genuine frames. The scores must agree within 1e-3, and each worker must report the provider
// that actually ran; by default the SDK refuses the software adapter and reports why.

const VIDEO = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d3.mp4");
const SCORE_TOLERANCE = 1e-3;
const FRAMES = 4;

declare const window: { lumenWebGpu: WebGpuPage };

describe("the SDK's models on WebGPU and on WASM in Chromium", () => {
  let dir: string;
  let pages: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let output: WebGpuRunOutput;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-sdk-webgpu-"));
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", VIDEO],
      ...["-vf", "fps=0.5", "-frames:v", String(FRAMES), "-q:v", "2", join(dir, "frame-%02d.jpg")],
    ]);
    const frames = (await readdir(dir)).filter((f) => f.endsWith(".jpg")).sort();
    const sdk = await prepareSdkPage({ page: "sdk-webgpu", dir, workers: ["analysis"] });
    const routes = { ...sdk.routes };
    for (const file of frames) routes[`/frames/${file}`] = join(dir, file);
    pages = await serveStatic({ routes, headers: { "Content-Security-Policy": sdk.csp } });
    browser = await launchChromium({ args: ["--enable-unsafe-webgpu"] });
    foreign = await recordForeignRequests(browser.context);
    const page = await openSdkPage(browser.context, pages.url, "lumenWebGpu");
    output = await page.evaluate((input) => window.lumenWebGpu.run(input), {
      modelBaseUrl: `${pages.url}/models/`,
      wasmBaseUrl: `${pages.url}/ort/`,
      frameUrls: frames.map((file) => `/frames/${file}`),
    });
    const summary = (run: WebGpuRunOutput["wasm"]) => ({
      executionProvider: run.executionProvider,
      webGpuUnavailable: run.webGpuUnavailable,
      meanAnalysisMs: Math.round(run.meanAnalysisMs),
      frames: run.frames.map(({ points, ...scores }) => ({ ...scores, points: points.length })),
    });
    console.log(
      "adapter:",
      output.adapter,
      "\nwebgpu:",
      JSON.stringify(summary(output.webgpu)),
      "\nwasm:",
      JSON.stringify(summary(output.wasm)),
      "\ndefault (software adapter refused):",
      JSON.stringify(summary(output.preferred)),
    );
  }, 600_000);

  afterAll(async () => {
    await browser.close();
    await pages.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("finds a WebGPU adapter with --enable-unsafe-webgpu and runs the models on it", () => {
    expect(output.adapter).not.toBeNull();
    expect(output.webgpu.webGpuUnavailable).toBeNull();
    expect(output.webgpu.executionProvider).toBe("webgpu");
    expect(output.wasm.executionProvider).toBe("wasm");
    expect(output.wasm.webGpuUnavailable).toBe("not requested");
  });

  it("refuses a software adapter by default, and says so instead of falling back silently", () => {
    expect(output.adapter).toContain("(fallback)");
    expect(output.preferred.executionProvider).toBe("wasm");
    expect(output.preferred.webGpuUnavailable).toBe(
      "only a software WebGPU adapter (google/swiftshader)",
    );
  });

  it(`gives the same scores as WASM within ${SCORE_TOLERANCE}`, () => {
    const { webgpu, wasm } = output;
    expect(webgpu.frames.map((f) => f.faces)).toEqual(wasm.frames.map((f) => f.faces));
    expect(wasm.frames.every((f) => f.faces === 1)).toBe(true);
    const deltas = frameScoreDeltas(webgpu.frames, wasm.frames);
    console.log("max |WebGPU − WASM|:", JSON.stringify(deltas));
    expect(deltas.presence).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(deltas.liveness).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(deltas.realness).toBeLessThanOrEqual(SCORE_TOLERANCE);
  });

  it("sent no request off 127.0.0.1", () => {
    expect(foreign.urls).toEqual([]);
  });
});
