// Browser half of bench/browser-bench.ts (DOM types: its own tsconfig), bundled by esbuild when
// the bench starts. Times the SDK's worker pipeline (its analysis worker through its comlink
// client) against the same models called bare in this page, and runs real liveness sessions on
// a canvas `captureStream()` source.
import * as ort from "onnxruntime-web/wasm";
import { RUNTIME_ASSETS } from "@lumen/sdk/runtime-assets";
import {
  analyseFrame,
  bindOnnxRunners,
  getModelSpec,
  loadVerifiedModel,
  type OnnxSessionLike,
} from "@lumen/core";
import {
  createAnalysisClient,
  createFetchModelSource,
  createLivenessSession,
  illuminationBackground,
  LumenError,
  type AnalysisClient,
  type LivenessSession,
} from "@lumen/sdk";
import { paintTime } from "../../src/browser/sdk/record-session.ts";
import type {
  BenchAssets,
  BenchPage,
  BenchSessionInput,
  CaptureOutput,
  FirstFrameOutput,
  PipelineReady,
  PipelineRound,
} from "../bench-page-api.ts";

const ANALYSIS_MODELS = ["face-detector", "face-mesh", "minifasnet-v2-se", "mesonet4-df"];
/** The whole analysis, scores included (what an evidence frame costs, JPEG apart). */
const FRAME_REQUEST = {
  evidence: false,
  scores: true,
  maxPixels: 1280 * 1280,
  maxJpegBytes: 1 << 20,
};
const FIRST_FRAME_TIMEOUT_MS = 90_000;

interface BareRun {
  readonly session: ort.InferenceSession;
  readonly feeds: Record<string, ort.Tensor>;
}

interface Pipeline {
  readonly bitmaps: readonly ImageBitmap[];
  readonly analysis: AnalysisClient;
  /** Per frame, the onnxruntime-web runs the shared pipeline made on it. */
  readonly bareRuns: readonly (readonly BareRun[])[];
}

let pipeline: Pipeline | null = null;

function analysisWorker(): Worker {
  return new Worker("/analysis-worker.mjs", { type: "module", name: "lumen-analysis" });
}

async function loadBitmaps(urls: readonly string[]): Promise<ImageBitmap[]> {
  return Promise.all(
    urls.map(async (url) => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      return createImageBitmap(await res.blob());
    }),
  );
}

function pixels(bitmap: ImageBitmap): ImageData {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  if (!context) throw new Error("no 2d context");
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, bitmap.width, bitmap.height);
}

/**
 * The four analysis models bare on onnxruntime-web with the SDK worker's settings, and the
 * feeds the shared pipeline gives them on each frame (recorded once, untimed).
 */
async function recordBareRuns(
  assets: BenchAssets,
  numThreads: number,
  images: readonly ImageData[],
): Promise<BareRun[][]> {
  ort.env.wasm.wasmPaths = {
    wasm: new URL(RUNTIME_ASSETS["onnxruntime-web"].wasm, assets.wasmBaseUrl).href,
  };
  ort.env.wasm.numThreads = numThreads;
  ort.env.wasm.proxy = false;
  const source = createFetchModelSource(new URL(assets.modelBaseUrl));
  const sessions: ort.InferenceSession[] = [];
  for (const id of ANALYSIS_MODELS) {
    const bytes = await loadVerifiedModel(getModelSpec(id), source);
    sessions.push(
      await ort.InferenceSession.create(bytes, {
        executionProviders: ["wasm"],
        graphOptimizationLevel: "all",
      }),
    );
  }
  let runs: BareRun[] = [];
  const recording = (session: ort.InferenceSession): OnnxSessionLike<ort.Tensor> => ({
    run: (feeds) => {
      runs.push({ session, feeds });
      return session.run(feeds);
    },
  });
  const [detector, mesh, antiSpoof, deepfake] = sessions.map(recording);
  if (!detector || !mesh || !antiSpoof || !deepfake) throw new Error("a session is missing");
  const runners = bindOnnxRunners(
    { detector, mesh, antiSpoof, deepfake },
    (data, dims) => new ort.Tensor("float32", data, dims),
  );
  const perFrame: BareRun[][] = [];
  for (const image of images) {
    runs = [];
    await analyseFrame(image, runners);
    perFrame.push(runs);
  }
  return perFrame;
}

async function initPipeline(
  assets: BenchAssets,
  frameUrls: readonly string[],
): Promise<PipelineReady> {
  const bitmaps = await loadBitmaps(frameUrls);
  const images = bitmaps.map(pixels);
  const analysis = createAnalysisClient(analysisWorker());
  const ready = await analysis.init({
    modelBaseUrl: assets.modelBaseUrl,
    wasmBaseUrl: assets.wasmBaseUrl,
    preferWebGpu: false,
  });
  const bareRuns = await recordBareRuns(assets, ready.numThreads, images);
  pipeline = { bitmaps, analysis, bareRuns };
  return {
    frames: bitmaps.length,
    numThreads: ready.numThreads,
    executionProvider: ready.executionProvider,
    bareCalls: bareRuns.reduce((sum, runs) => sum + runs.length, 0),
  };
}

function offered<T>(pending: Promise<T> | null): Promise<T> {
  if (!pending) throw new Error("the worker was busy: the bench awaits every frame");
  return pending;
}

/** One pass over every frame in `mode`; resolves with the mean milliseconds per frame. */
async function pipelineRound(mode: keyof PipelineRound): Promise<number> {
  const p = pipeline;
  if (!p) throw new Error("initPipeline() first");
  const startedAt = performance.now();
  for (const [i, bitmap] of p.bitmaps.entries()) {
    if (mode === "bareMs") {
      for (const { session, feeds } of p.bareRuns[i] ?? []) await session.run(feeds);
    } else {
      // The worker gets its own bitmap, transferred, as the session sends them.
      await offered(p.analysis.offer(await createImageBitmap(bitmap), FRAME_REQUEST));
    }
  }
  return (performance.now() - startedAt) / p.bitmaps.length;
}

/** A canvas stream that plays `bitmaps` forwards then backwards at `framesPerSecond`. */
function createSource(bitmaps: readonly ImageBitmap[], framesPerSecond: number) {
  const first = bitmaps[0];
  if (!first) throw new Error("no frames");
  const canvas = document.createElement("canvas");
  canvas.width = first.width;
  canvas.height = first.height;
  document.body.append(canvas);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2d context");
  const order = [...bitmaps, ...[...bitmaps].reverse()];
  let step = 0;
  let drawnAt = Number.NEGATIVE_INFINITY;
  let running = true;
  const draw = (now: number): void => {
    if (!running) return;
    // Only a new picture makes a new stream frame: the stream runs at `framesPerSecond`.
    if (now - drawnAt >= 1000 / framesPerSecond) {
      drawnAt = now;
      context.drawImage(order[step % order.length] ?? first, 0, 0);
      step++;
    }
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  const stream = canvas.captureStream();
  return {
    stream,
    stop() {
      running = false;
      for (const track of stream.getTracks()) track.stop();
      canvas.remove();
    },
  };
}

function createSession(input: BenchSessionInput, stream: MediaStream): LivenessSession {
  return createLivenessSession({
    serverUrl: input.serverUrl,
    sessionId: input.sessionId,
    clientToken: input.clientToken,
    assets: input.assets,
    source: stream,
    createWorker: analysisWorker,
    display: {
      async showIllumination(light) {
        document.body.style.background = light === null ? "" : illuminationBackground(light);
        return paintTime();
      },
      showPrompt: () => paintTime(),
    },
  });
}

async function firstTrackedFrame(input: BenchSessionInput): Promise<FirstFrameOutput> {
  const bitmaps = await loadBitmaps(input.frameUrls);
  const source = createSource(bitmaps, input.framesPerSecond);
  const session = createSession(input, source.stream);
  try {
    const tracked = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no tracked frame in ${FIRST_FRAME_TIMEOUT_MS} ms`));
      }, FIRST_FRAME_TIMEOUT_MS);
      session.on("frame", (event) => {
        if (!event.tracked) return;
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
    const startedAt = performance.now();
    const running = session.start();
    // The session ends in CANCELLED once closed below; any earlier failure ends the wait.
    const failed = running.then(
      () => Promise.reject(new Error("the session ended before a tracked frame")),
      (error: unknown) => Promise.reject(error instanceof Error ? error : new Error(String(error))),
    );
    const at = await Promise.race([tracked, failed]);
    failed.catch(() => undefined);
    return { firstTrackedMs: at - startedAt };
  } finally {
    session.close();
    source.stop();
    for (const bitmap of bitmaps) bitmap.close();
  }
}

async function capture(input: BenchSessionInput): Promise<CaptureOutput> {
  const bitmaps = await loadBitmaps(input.frameUrls);
  const source = createSource(bitmaps, input.framesPerSecond);
  const session = createSession(input, source.stream);
  let capturingFrom = Number.NaN;
  let capturingTo = Number.NaN;
  session.on("state", ({ state }) => {
    if (state === "positioning") capturingFrom = performance.now();
    // The session stops watching frames right before it uploads (or fails short of frames).
    else if ((state === "uploading" || state === "failed") && Number.isNaN(capturingTo)) {
      capturingTo = performance.now();
    }
  });
  let status: string | null = null;
  let errorCode: string | null = null;
  try {
    ({ status } = await session.start());
  } catch (error) {
    errorCode = error instanceof LumenError ? error.code : String(error);
  }
  const stats = session.stats;
  session.close();
  source.stop();
  for (const bitmap of bitmaps) bitmap.close();
  return {
    status,
    errorCode,
    captureMs: capturingTo - capturingFrom,
    framesSeen: stats.framesSeen,
    framesAnalysed: stats.framesAnalysed,
    meanAnalysisMs: stats.meanAnalysisMs,
  };
}

const page: BenchPage = { initPipeline, pipelineRound, firstTrackedFrame, capture };
(globalThis as unknown as { lumenBench: BenchPage }).lumenBench = page;
