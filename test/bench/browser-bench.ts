// The browser's figures, in Debian's headless Chromium (WASM; no GPU here): the SDK's worker
// pipeline per frame against the same models called bare in the same page, the frame rate a
// real session analyses against its source's, and the time from `start()` to the first tracked
// frame with a cold and a warm HTTP cache.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import type { BrowserContext, Page } from "playwright-core";
import {
  launchChromium,
  MODEL_DIR,
  openSdkPage,
  prepareSdkPage,
  REPO_ROOT,
  serveStatic,
  startApiServer,
  TEST_ROOT,
  type ApiServer,
  type StaticServer,
} from "../src/harness/index.ts";
import type { BenchAssets, BenchPage, BenchSessionInput, PipelineRound } from "./bench-page-api.ts";
import { figure, median, progress, type Figure } from "./lib/figures.ts";

declare const window: { lumenBench: BenchPage };

const VIDEO = join(REPO_ROOT, "../shared/media/genuine/liveportrait-d3.mp4");
/** The source plays the video's first seconds at the video's own rate, forwards and back. */
const SOURCE_FPS = 30;
const SOURCE_SECONDS = 2;
/** Every n-th source frame goes through the pipeline figure. */
const PIPELINE_STRIDE = 5;
const PIPELINE_ROUNDS = 7;
const CAPTURE_RUNS = 3;
const FIRST_FRAME_ROUNDS = 3;
/** Long enough that a warm run finds every file in the HTTP cache without revalidating. */
const CACHE_CONTROL = "public, max-age=3600";

interface Served {
  readonly pages: StaticServer;
  readonly api: ApiServer;
  readonly frameUrls: readonly string[];
  readonly assets: BenchAssets;
}

async function extractFrames(dir: string): Promise<string[]> {
  await promisify(execFile)("ffmpeg", [
    ...["-loglevel", "error", "-i", VIDEO, "-t", String(SOURCE_SECONDS)],
    ...["-vf", `fps=${SOURCE_FPS}`, "-q:v", "2", join(dir, "%03d.jpg")],
  ]);
  return (await readdir(dir)).filter((file) => file.endsWith(".jpg")).sort();
}

async function serve(dir: string): Promise<Served> {
  const framesDir = join(dir, "frames");
  await mkdir(framesDir);
  const frames = await extractFrames(framesDir);
  // The worker bundles, runtimes and models of the SDK pages; the page itself is the bench's.
  const sdk = await prepareSdkPage({
    page: "sdk-cooperative",
    dir,
    workers: ["analysis"],
    connectSrc: ["http://127.0.0.1:*"],
    cspDirectives: ["img-src 'self' blob:"],
  });
  await build({
    entryPoints: [join(TEST_ROOT, "bench/browser/bench-page.ts")],
    outfile: join(dir, "bench.mjs"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "warning",
  });
  const routes: Record<string, string> = {
    ...sdk.routes,
    "/index.html": join(TEST_ROOT, "bench/pages/bench.html"),
    "/bench.mjs": join(dir, "bench.mjs"),
  };
  for (const file of frames) routes[`/frames/${file}`] = join(framesDir, file);
  const pages = await serveStatic({
    routes,
    headers: { "Content-Security-Policy": sdk.csp },
    cacheControl: CACHE_CONTROL,
  });
  const api = await startApiServer({ modelDir: MODEL_DIR, pageOrigins: [pages.url] });
  return {
    pages,
    api,
    frameUrls: frames.map((file) => `/frames/${file}`),
    assets: {
      modelBaseUrl: `${pages.url}/models/`,
      wasmBaseUrl: `${pages.url}/ort/`,
    },
  };
}

async function sessionInput(served: Served): Promise<BenchSessionInput> {
  const { sessionId, clientToken } = await served.api.createSession({ policy: "standard" });
  return {
    serverUrl: served.api.url,
    sessionId,
    clientToken,
    assets: served.assets,
    frameUrls: served.frameUrls,
    framesPerSecond: SOURCE_FPS,
  };
}

async function benchPipeline(tab: Page, served: Served): Promise<Figure[]> {
  const urls = served.frameUrls.filter((_, i) => i % PIPELINE_STRIDE === 0);
  const ready = await tab.evaluate(([a, u]) => window.lumenBench.initPipeline(a, u), [
    served.assets,
    urls,
  ] as const);
  progress(`pipeline: ${JSON.stringify(ready)}`);
  const modes: (keyof PipelineRound)[] = ["sdkMs", "bareMs"];
  const samples: Record<keyof PipelineRound, number[]> = { sdkMs: [], bareMs: [] };
  const round = (mode: keyof PipelineRound) =>
    tab.evaluate((m) => window.lumenBench.pipelineRound(m), mode);
  for (const mode of modes) await round(mode); // warm-up
  for (let r = 0; r < PIPELINE_ROUNDS; r++) {
    // Rotate the order so no mode always follows the same one.
    for (let k = 0; k < modes.length; k++) {
      const mode = modes[(r + k) % modes.length];
      if (mode) samples[mode].push(await round(mode));
    }
    progress(
      `pipeline round ${r + 1}/${PIPELINE_ROUNDS}: ` +
        modes.map((mode) => `${mode} ${samples[mode].at(-1)?.toFixed(1)}`).join(", "),
    );
  }
  return [
    figure("browser.pipeline_frame_ms", median(samples.sdkMs), "ms/frame", median(samples.bareMs)),
  ];
}

async function benchCapture(context: BrowserContext, served: Served): Promise<Figure[]> {
  const analysed: number[] = [];
  const seen: number[] = [];
  const lengths: number[] = [];
  for (let run = 0; run < CAPTURE_RUNS; run++) {
    // A fresh page for each session, as a user would load it.
    const tab = await openSdkPage(context, served.pages.url, "lumenBench");
    const input = await sessionInput(served);
    const out = await tab.evaluate((i) => window.lumenBench.capture(i), input);
    await tab.close();
    const verdict = await served.api.getSession(input.sessionId);
    progress(
      `capture ${run + 1}/${CAPTURE_RUNS}: ${JSON.stringify(out)} → server ${verdict.decision} [${verdict.reasons.join(", ")}]`,
    );
    if (!(out.captureMs > 0)) throw new Error(`the capture did not run: ${JSON.stringify(out)}`);
    analysed.push((out.framesAnalysed * 1000) / out.captureMs);
    seen.push((out.framesSeen * 1000) / out.captureMs);
    lengths.push(out.captureMs);
  }
  return [
    figure("browser.capture_fps", median(analysed), "frames/s", median(seen)),
    figure("browser.session_capture_ms", median(lengths), "ms"),
  ];
}

async function benchFirstFrame(served: Served): Promise<Figure[]> {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let r = 0; r < FIRST_FRAME_ROUNDS; r++) {
    // A fresh profile: an empty HTTP cache. The second tab of the same context finds it full.
    const browser = await launchChromium();
    try {
      for (const list of [cold, warm]) {
        const tab = await openSdkPage(browser.context, served.pages.url, "lumenBench");
        const input = await sessionInput(served);
        const out = await tab.evaluate((i) => window.lumenBench.firstTrackedFrame(i), input);
        list.push(out.firstTrackedMs);
        await tab.close();
      }
    } finally {
      await browser.close();
    }
    progress(
      `first tracked frame ${r + 1}/${FIRST_FRAME_ROUNDS}: cold ${cold.at(-1)?.toFixed(0)} ms, warm ${warm.at(-1)?.toFixed(0)} ms`,
    );
  }
  return [
    figure("browser.first_tracked_frame_cold", median(cold), "ms"),
    figure("browser.first_tracked_frame_warm", median(warm), "ms", median(cold)),
  ];
}

/**
 * Runs the browser's figures (about three minutes on two cores).
 *
 * @example
 * ```ts
 * log.add(...(await benchBrowser()));
 * ```
 */
export async function benchBrowser(): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), "lumen-bench-"));
  let served: Served | null = null;
  try {
    progress("browser: extracting frames, bundling the page and the SDK's workers");
    served = await serve(dir);
    const figures: Figure[] = [];
    const browser = await launchChromium();
    try {
      const pipelineTab = await openSdkPage(browser.context, served.pages.url, "lumenBench");
      figures.push(...(await benchPipeline(pipelineTab, served)));
      await pipelineTab.close();
      figures.push(...(await benchCapture(browser.context, served)));
    } finally {
      await browser.close();
    }
    figures.push(...(await benchFirstFrame(served)));
    const failedRequests = served.pages.requests.filter(
      ({ path, status }) => status !== 200 && path !== "/favicon.ico",
    );
    if (failedRequests.length > 0)
      progress(`warning: failed requests ${JSON.stringify(failedRequests)}`);
    return figures;
  } finally {
    await served?.api.close();
    await served?.pages.close();
    await rm(dir, { recursive: true, force: true });
  }
}
