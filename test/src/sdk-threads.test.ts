import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { RUNTIME_ASSETS } from "@lumen/sdk/runtime-assets";
import { frameScoreDeltas } from "./browser/frame-scores.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ThreadsPage, ThreadsRunOutput } from "./browser/sdk-threads-run.ts";
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

// @lumen/sdk's analysis worker on onnxruntime-web's multi-threaded WASM in a cross-origin
// isolated page (COOP `same-origin`, COEP `require-corp` on every response), against the same
// worker single-threaded in a page that is not isolated, on the same genuine frames. The
// bundled runtime starts its thread workers from the analysis worker's own URL; they must come
// up, the worker must report the threads it runs on, and the scores must agree within 1e-3.

const VIDEO = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d3.mp4");
const SCORE_TOLERANCE = 1e-3;
const FRAMES = 3;
const ISOLATION = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

declare const window: { lumenThreads: ThreadsPage };

describe("the SDK's models on WASM threads in a cross-origin isolated page", () => {
  let dir: string;
  let isolatedPages: StaticServer;
  let plainPages: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let threaded: ThreadsRunOutput;
  let single: ThreadsRunOutput;
  const workerUrls: { isolated: string[]; plain: string[] } = { isolated: [], plain: [] };
  /** The onnxruntime-web files the pages fetched (both are served). */
  const ortFetched = new Set<string>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-sdk-threads-"));
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", VIDEO],
      ...["-vf", "fps=0.5", "-frames:v", String(FRAMES), "-q:v", "2", join(dir, "frame-%02d.jpg")],
    ]);
    const frames = (await readdir(dir)).filter((f) => f.endsWith(".jpg")).sort();
    const sdk = await prepareSdkPage({ page: "sdk-threads", dir, workers: ["analysis"] });
    const routes = { ...sdk.routes };
    for (const file of frames) routes[`/frames/${file}`] = join(dir, file);
    isolatedPages = await serveStatic({
      routes,
      headers: { "Content-Security-Policy": sdk.csp, ...ISOLATION },
    });
    plainPages = await serveStatic({ routes, headers: { "Content-Security-Policy": sdk.csp } });
    browser = await launchChromium();
    foreign = await recordForeignRequests(browser.context);
    const runOn = async (server: StaticServer, urls: string[]) => {
      const page = await openSdkPage(browser.context, server.url, "lumenThreads");
      page.on("worker", (worker) => urls.push(worker.url()));
      page.on("request", (request) => {
        const { pathname } = new URL(request.url());
        if (pathname.startsWith("/ort/")) ortFetched.add(pathname.slice("/ort/".length));
      });
      const output = await page.evaluate((input) => window.lumenThreads.run(input), {
        modelBaseUrl: `${server.url}/models/`,
        wasmBaseUrl: `${server.url}/ort/`,
        frameUrls: frames.map((file) => `/frames/${file}`),
      });
      await page.close();
      return output;
    };
    threaded = await runOn(isolatedPages, workerUrls.isolated);
    single = await runOn(plainPages, workerUrls.plain);
    const summary = ({ frames: analysed, ...run }: ThreadsRunOutput) => ({
      ...run,
      meanAnalysisMs: Math.round(run.meanAnalysisMs),
      frames: analysed.map(({ points, ...scores }) => ({ ...scores, points: points.length })),
    });
    console.log(
      "isolated:",
      JSON.stringify(summary(threaded)),
      "\n  workers:",
      JSON.stringify(workerUrls.isolated),
      "\nnot isolated:",
      JSON.stringify(summary(single)),
      "\n  workers:",
      JSON.stringify(workerUrls.plain),
    );
  }, 600_000);

  afterAll(async () => {
    await browser.close();
    await isolatedPages.close();
    await plainPages.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is cross-origin isolated with COOP and COEP, and not without", () => {
    expect(threaded.crossOriginIsolated).toBe(true);
    expect(single.crossOriginIsolated).toBe(false);
  });

  it("runs onnxruntime-web's WASM on more than one thread only when isolated", () => {
    expect(threaded.executionProvider).toBe("wasm");
    expect(single.executionProvider).toBe("wasm");
    expect(threaded.numThreads).toBe(Math.min(4, threaded.hardwareConcurrency));
    expect(threaded.numThreads).toBeGreaterThan(1);
    expect(single.numThreads).toBe(1);
  });

  it("fetches onnxruntime-web's WASM-only build, never the larger WebGPU build, without WebGPU", () => {
    expect([...ortFetched]).toEqual([RUNTIME_ASSETS["onnxruntime-web"].wasm]);
  });

  it("starts the thread workers from the bundled analysis worker's own URL", () => {
    // Emscripten's pthread workers load `import.meta.url`: in the bundle, the analysis worker.
    expect(workerUrls.isolated).toHaveLength(threaded.numThreads);
    expect(workerUrls.plain).toHaveLength(1);
    for (const url of [...workerUrls.isolated, ...workerUrls.plain]) {
      expect(url).toMatch(/\/analysis-worker\.mjs$/);
    }
  });

  it(`gives the same scores on threads as on one within ${SCORE_TOLERANCE}`, () => {
    expect(threaded.frames.map((f) => f.faces)).toEqual(single.frames.map((f) => f.faces));
    expect(single.frames.every((f) => f.faces === 1)).toBe(true);
    const deltas = frameScoreDeltas(threaded.frames, single.frames);
    console.log("max |threads − single|:", JSON.stringify(deltas));
    expect(deltas.presence).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(deltas.liveness).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(deltas.realness).toBeLessThanOrEqual(SCORE_TOLERANCE);
  });

  it("sent no request off 127.0.0.1", () => {
    expect(foreign.urls).toEqual([]);
  });
});
