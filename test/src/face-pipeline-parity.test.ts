import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { Tensor, type InferenceSession } from "onnxruntime-node";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyseFrame,
  bindOnnxRunners,
  getModelSpec,
  loadVerifiedModel,
  type FrameAnalysisRunners,
  type PixelRect,
  type RgbaImage,
} from "@lumen/core";
import { createFsModelSource, createOnnxSession, decodeJpeg } from "@lumen/server";
import { summariseAnalysis, type AnalysisSummary } from "./browser/analysis-summary.ts";
import type { FacePipelinePage, PageResult } from "./browser/face-pipeline-parity.ts";
import {
  launchChromium,
  recordForeignRequests,
  serveStatic,
  type ForeignRequestLog,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// The per-frame analysis the SDK and the server share (@lumen/core's analyseFrame: detector →
// decode → mesh ROI → mesh → MiniFASNet and MesoNet-DF on the landmark box) must give the same
// numbers in onnxruntime-web (WASM, Chromium) as in onnxruntime-node, on the very same pixels:
// the server re-runs it to check what a client reports. The JPEGs are decoded once in Node
// (decodeJpeg applies EXIF orientation as browsers do) and the page fetches the raw RGBA bytes,
// so no decoder difference can hide in the comparison. On the same pixels the ONNX mesh is also
// held against the face_landmarker.task bundle in MediaPipe Tasks, the SDK's tracker.

const SCORE_TOLERANCE = 1e-3;
const PIXEL_TOLERANCE = 1e-2;
const MAX_MEAN_DISTANCE = 0.02;
const MIN_BOX_IOU = 0.9;

const TEST_ROOT = fileURLToPath(new URL("..", import.meta.url));
const REPO = join(TEST_ROOT, "..");
const MEDIA = join(REPO, "../shared/media");
const MODEL_DIR = join(REPO, "models/dist");
const ORT_WEB = join(TEST_ROOT, "node_modules/onnxruntime-web/dist");
const TASKS_VISION = join(TEST_ROOT, "node_modules/@mediapipe/tasks-vision");
// The short-range detector (128x128 input, faces within ~2 m) finds no face in these: a 70 px
// face in a 1280x720 frame, and a group photo.
const NO_FACE_STILLS = new Set(["human-group-1.jpg", "human-cgi-model-1.jpg"]);
const VIDEOS = ["liveportrait-d3", "liveportrait-d9", "liveportrait-d12", "liveportrait-d19"];
const FRAMES_PER_VIDEO = 3;
// Larger than any image here (1920x1440); decodeJpeg refuses more before decoding.
const MAX_PIXELS = 4096 * 4096;
const MODEL_IDS = ["face-detector", "face-mesh", "minifasnet-v2-se", "mesonet4-df"];
const MODEL_FILES = [...MODEL_IDS, "face-landmarker"].map((id) => getModelSpec(id).file);
// As the face-landmarker test: MediaPipe Tasks posts telemetry with fetch(), which connect-src
// 'self' stops; both wasm runtimes need 'wasm-unsafe-eval'.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
].join("; ");

declare const window: { lumen: FacePipelinePage };

interface NamedImage {
  readonly name: string;
  readonly frame: RgbaImage;
}

interface ImageResult {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly node: AnalysisSummary;
  readonly browser: PageResult;
}

async function stills(): Promise<NamedImage[]> {
  const dir = join(MEDIA, "stills");
  const names = (await readdir(dir))
    .filter((name) => name.endsWith(".jpg") && !NO_FACE_STILLS.has(name))
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      frame: await decodeJpeg(new Uint8Array(await readFile(join(dir, name))), {
        maxPixels: MAX_PIXELS,
      }),
    })),
  );
}

// One frame a second from the start of each genuine video, as JPEG like a client would send.
async function videoFrames(parent: string): Promise<NamedImage[]> {
  const dir = await mkdtemp(join(parent, "frames-"));
  for (const video of VIDEOS) {
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", join(MEDIA, `genuine/${video}.mp4`)],
      ...["-vf", "fps=1", "-frames:v", String(FRAMES_PER_VIDEO), "-q:v", "2"],
      join(dir, `${video}-%02d.jpg`),
    ]);
  }
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      frame: await decodeJpeg(new Uint8Array(await readFile(join(dir, name))), {
        maxPixels: MAX_PIXELS,
      }),
    })),
  );
}

/** The server's binding: pinned models from models/dist/, onnxruntime-node on the CPU. */
async function createNodeRunners(): Promise<{
  runners: FrameAnalysisRunners;
  sessions: InferenceSession[];
}> {
  const source = createFsModelSource(MODEL_DIR);
  const sessions = await Promise.all(
    MODEL_IDS.map(async (id) =>
      createOnnxSession(await loadVerifiedModel(getModelSpec(id), source)),
    ),
  );
  const [detector, mesh, antiSpoof, deepfake] = sessions;
  if (!detector || !mesh || !antiSpoof || !deepfake) throw new Error("a session is missing");
  const runners = bindOnnxRunners(
    { detector, mesh, antiSpoof, deepfake },
    (data, dims) => new Tensor("float32", data, dims),
  );
  return { runners, sessions };
}

function boxOf(xy: readonly number[], stride: number): PixelRect {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += stride) {
    const x = xy[i] ?? NaN;
    const y = xy[i + 1] ?? NaN;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function iou(a: PixelRect, b: PixelRect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const overlap = Math.max(0, w) * Math.max(0, h);
  return overlap / (a.width * a.height + b.width * b.height - overlap);
}

function rectDiff(a: PixelRect, b: PixelRect): number {
  return Math.max(
    Math.abs(a.x - b.x),
    Math.abs(a.y - b.y),
    Math.abs(a.width - b.width),
    Math.abs(a.height - b.height),
  );
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - (b[i] ?? NaN))), 0);
}

const DIFFERENCES = [
  "detectorScore",
  "detectorPx",
  "presence",
  "liveness",
  "realness",
  "landmarkPx",
] as const;

/**
 * Largest |Δ| per quantity between the Node and the browser analysis: detector score, detector
 * box and keypoints (px), mesh presence, MiniFASNet margin, MesoNet probability, landmarks (px).
 */
type Differences = Record<(typeof DIFFERENCES)[number], number>;

function noDifferences(): Differences {
  return Object.fromEntries(DIFFERENCES.map((key) => [key, 0])) as Differences;
}

function differences(result: ImageResult): Differences {
  const { name, node } = result;
  const web = result.browser.analysis;
  expect(web.faces.length, `faces found on ${name}`).toBe(node.faces.length);
  expect(node.face, `Node analysis of ${name}`).not.toBeNull();
  expect(web.face, `browser analysis of ${name}`).not.toBeNull();
  const diffs: Differences = noDifferences();
  node.faces.forEach((face, i) => {
    const other = web.faces[i];
    if (!other) return;
    diffs.detectorScore = Math.max(diffs.detectorScore, Math.abs(face.score - other.score));
    const keypoints = maxAbsDiff(
      face.keypoints.flatMap(({ x, y }) => [x, y]),
      other.keypoints.flatMap(({ x, y }) => [x, y]),
    );
    diffs.detectorPx = Math.max(diffs.detectorPx, rectDiff(face.box, other.box), keypoints);
  });
  if (node.face && web.face) {
    diffs.presence = Math.abs(node.face.presence - web.face.presence);
    diffs.liveness = Math.abs(node.face.liveness - web.face.liveness);
    diffs.realness = Math.abs(node.face.realness - web.face.realness);
    diffs.landmarkPx = maxAbsDiff(node.face.points, web.face.points);
  }
  return diffs;
}

function checkParity(results: readonly ImageResult[], label: string): void {
  expect(results.length).toBeGreaterThan(0);
  const worst: Differences = noDifferences();
  for (const result of results) {
    const diffs = differences(result);
    for (const key of DIFFERENCES) {
      worst[key] = Math.max(worst[key], diffs[key]);
    }
    const { name } = result;
    expect(diffs.detectorScore, `detector score on ${name}`).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(diffs.presence, `mesh presence on ${name}`).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(diffs.liveness, `MiniFASNet score on ${name}`).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(diffs.realness, `MesoNet score on ${name}`).toBeLessThanOrEqual(SCORE_TOLERANCE);
    expect(diffs.landmarkPx, `landmarks on ${name}`).toBeLessThanOrEqual(PIXEL_TOLERANCE);
    expect(diffs.detectorPx, `detection box on ${name}`).toBeLessThanOrEqual(PIXEL_TOLERANCE);
  }
  console.log(
    `${label} (${results.length}) onnxruntime-web vs -node, max |Δ|:`,
    Object.fromEntries(DIFFERENCES.map((key) => [key, worst[key].toExponential(2)])),
  );
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`;
}

describe("the shared face pipeline in onnxruntime-web (Chromium) and onnxruntime-node", () => {
  let dir: string;
  let server: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let page: Page;
  let tamperedPinError: string;
  let stillResults: ImageResult[];
  let frameResults: ImageResult[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-face-pipeline-parity-"));
    const [stillImages, frameImages] = await Promise.all([stills(), videoFrames(dir)]);
    expect(frameImages).toHaveLength(VIDEOS.length * FRAMES_PER_VIDEO);

    const routes: Record<string, string> = {
      "/index.html": join(TEST_ROOT, "src/pages/face-pipeline-parity.html"),
      "/face-pipeline-parity.mjs": join(dir, "face-pipeline-parity.mjs"),
      // ort's single-threaded WASM build; its JS glue is in the bundle.
      "/ort/ort-wasm-simd-threaded.wasm": join(ORT_WEB, "ort-wasm-simd-threaded.wasm"),
    };
    for (const name of await readdir(join(TASKS_VISION, "wasm"))) {
      routes[`/tasks-vision/wasm/${name}`] = join(TASKS_VISION, "wasm", name);
    }
    for (const file of MODEL_FILES) routes[`/models/${file}`] = join(MODEL_DIR, file);
    for (const { name, frame } of [...stillImages, ...frameImages]) {
      await writeFile(join(dir, `${name}.rgba`), frame.data);
      routes[`/frames/${name}.rgba`] = join(dir, `${name}.rgba`);
    }
    await build({
      entryPoints: [join(TEST_ROOT, "src/browser/face-pipeline-parity.ts")],
      outfile: join(dir, "face-pipeline-parity.mjs"),
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "warning",
    });
    server = await serveStatic({ routes, headers: { "Content-Security-Policy": CSP } });
    browser = await launchChromium();
    foreign = await recordForeignRequests(browser.context);
    page = await browser.context.newPage();
    page.on("pageerror", (error) => {
      console.error("page error:", error.message);
    });
    await page.goto(`${server.url}/index.html`);
    await page.waitForFunction(() => "lumen" in window);
    ({ tamperedPinError } = await page.evaluate(() => window.lumen.init()));

    const { runners, sessions } = await createNodeRunners();
    const analyse = async ({ name, frame }: NamedImage): Promise<ImageResult> => {
      const { width, height } = frame;
      const node = summariseAnalysis(await analyseFrame(frame, runners));
      const fromPage = await page.evaluate(([url, w, h]) => window.lumen.analyse(url, w, h), [
        `/frames/${name}.rgba`,
        width,
        height,
      ] as const);
      return { name, width, height, node, browser: fromPage };
    };
    stillResults = [];
    for (const image of stillImages) stillResults.push(await analyse(image));
    frameResults = [];
    for (const image of frameImages) frameResults.push(await analyse(image));
    await Promise.all(sessions.map((session) => session.release()));
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("verifies every model against its pin in the browser too", () => {
    expect(tamperedPinError).toBe("MODEL_INTEGRITY_FAILED");
    for (const file of MODEL_FILES) {
      const fetches = server.requests.filter(({ path }) => path === `/models/${file}`);
      expect(fetches.length, `fetches of ${file}`).toBeGreaterThan(0);
      expect(
        fetches.every(({ status }) => status === 200),
        `status of ${file}`,
      ).toBe(true);
    }
  });

  it(`gives the same detections, mesh and scores on the one-face stills (${SCORE_TOLERANCE}, ${PIXEL_TOLERANCE} px)`, () => {
    checkParity(stillResults, "stills");
  });

  it(`gives the same detections, mesh and scores on ${VIDEOS.length * FRAMES_PER_VIDEO} genuine video frames`, () => {
    checkParity(frameResults, "video frames");
  });

  it(`puts the ONNX mesh within ${percent(MAX_MEAN_DISTANCE)} of face width of face_landmarker.task (CPU, IMAGE mode), box IoU ≥ ${MIN_BOX_IOU}`, () => {
    const rows: { mean: number; iou: number }[] = [];
    for (const { name, width, height, node, browser: fromPage } of [
      ...stillResults,
      ...frameResults,
    ]) {
      const { task } = fromPage;
      expect(task, `face_landmarker.task on ${name}`).not.toBeNull();
      if (!node.face || !task) continue;
      const ours = node.face.points;
      expect(task).toHaveLength((ours.length / 3) * 2);
      // Face width is the width of our landmark box, the box the classifiers crop from.
      const faceWidth = node.face.box.width;
      let sum = 0;
      for (let i = 0; i < ours.length / 3; i++) {
        const dx = (ours[3 * i] ?? NaN) - (task[2 * i] ?? NaN);
        const dy = (ours[3 * i + 1] ?? NaN) - (task[2 * i + 1] ?? NaN);
        sum += Math.hypot(dx, dy);
      }
      const mean = sum / (ours.length / 3) / faceWidth;
      // The task exposes no detection box, so the boxes compared are those of the 468 mesh
      // landmarks on each side.
      const overlap = iou(boxOf(ours, 3), boxOf(task, 2));
      rows.push({ mean, iou: overlap });
      console.log(
        `${name} ${width}x${height}: mean landmark distance ${percent(mean)} of face width (${faceWidth.toFixed(0)} px), box IoU ${overlap.toFixed(3)}`,
      );
      expect(mean, `mean landmark distance on ${name}`).toBeLessThanOrEqual(MAX_MEAN_DISTANCE);
      expect(overlap, `landmark box IoU on ${name}`).toBeGreaterThanOrEqual(MIN_BOX_IOU);
    }
    console.log(
      `all (${rows.length}): mean ${percent(rows.reduce((s, r) => s + r.mean, 0) / rows.length)}, worst ${percent(Math.max(...rows.map((r) => r.mean)))} of face width; lowest IoU ${Math.min(...rows.map((r) => r.iou)).toFixed(3)}`,
    );
  });

  it("sent no request off 127.0.0.1, and every file (models included) was served with 200", () => {
    expect(foreign.urls).toEqual([]);
    expect(server.requests.filter(({ status }) => status !== 200)).toEqual([]);
  });
});
