import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import jpeg from "jpeg-js";
import { InferenceSession, Tensor } from "onnxruntime-node";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cropToTensor, type PixelRect } from "@lumen/core";
import { extractPackedAssets } from "@lumen/models/src/face-landmarker/extract-packed-assets.ts";
import {
  convertTfliteToOnnx,
  type ConvertTfliteOptions,
} from "@lumen/models/src/tflite-onnx/convert-tflite-to-onnx.ts";
import {
  FACE_DETECTOR_ONNX_OPTIONS,
  FACE_MESH_ONNX_OPTIONS,
} from "@lumen/models/src/tflite-onnx/mediapipe-face-onnx-options.ts";
import {
  launchChromium,
  recordForeignRequests,
  serveStatic,
  type ForeignRequestLog,
  type LaunchedChromium,
  type StaticServer,
} from "./harness/index.ts";

// Parity of the project's TFLite → ONNX conversion: the converted models in onnxruntime-node
// against the untouched .tflite files in TFLite's own runtime (@tensorflow/tfjs-tflite, the
// TFLite C++ interpreter compiled to wasm) in Chromium, on identical float inputs from real
// faces. Any layout, padding or weight mistake in the converter shows up as a large difference.

const TOLERANCE = 1e-3;
const MEDIA = new URL("../../../shared/media/", import.meta.url);
const STILLS = [
  "human-ai-face.jpg",
  "human-cgi-model-1.jpg",
  "human-group-1.jpg",
  "human-person-celeste.jpg",
  "human-person-lexi.jpg",
  "human-person-vlado.jpg",
  "mesonet-df00204.jpg",
  "mesonet-df01254.jpg",
  "mesonet-real00240.jpg",
  "mesonet-real00772.jpg",
  "silentface-image_F1.jpg",
  "silentface-image_F2.jpg",
  "silentface-image_T1.jpg",
] as const;
const VIDEOS = ["liveportrait-d3", "liveportrait-d9", "liveportrait-d12", "liveportrait-d19"];
const FRAMES_PER_VIDEO = 3;

const FACE_MESH_DIR = new URL("../node_modules/@mediapipe/face_mesh/", import.meta.url);
const TFJS = new URL("../node_modules/@tensorflow/", import.meta.url);

const PAGES = new URL("./pages/", import.meta.url);

function path(url: URL): string {
  return fileURLToPath(url);
}

/** The two source networks, cut out of @mediapipe/face_mesh's Emscripten package. */
async function readFaceMeshTflite(): Promise<ReadonlyMap<string, Uint8Array>> {
  const assets = extractPackedAssets(
    new Uint8Array(await readFile(new URL("face_mesh_solution_packed_assets.data", FACE_MESH_DIR))),
    await readFile(new URL("face_mesh_solution_packed_assets_loader.js", FACE_MESH_DIR), "utf8"),
  );
  return new Map(
    [...assets].map(([filename, bytes]) => [filename.slice(filename.lastIndexOf("/") + 1), bytes]),
  );
}

interface RgbaFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

function decodeJpeg(bytes: Uint8Array): RgbaFrame {
  return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

async function videoFrames(parent: string): Promise<RgbaFrame[]> {
  const dir = await mkdtemp(join(parent, "frames-"));
  const frames: RgbaFrame[] = [];
  for (const video of VIDEOS) {
    await promisify(execFile)("ffmpeg", [
      ...["-loglevel", "error", "-i", new URL(`genuine/${video}.mp4`, MEDIA).pathname],
      ...["-vf", "fps=2", "-frames:v", String(FRAMES_PER_VIDEO), "-q:v", "2"],
      join(dir, `${video}-%02d.jpg`),
    ]);
  }
  for (const file of (await readdir(dir)).sort()) {
    frames.push(decodeJpeg(new Uint8Array(await readFile(join(dir, file)))));
  }
  return frames;
}

// Stills are used whole (most are face crops already); video frames by their centre square,
// where the LivePortrait driving videos keep the face.
function wholeImage(frame: RgbaFrame): PixelRect {
  return { x: 0, y: 0, width: frame.width, height: frame.height };
}

function centreSquare(frame: RgbaFrame): PixelRect {
  const side = Math.min(frame.width, frame.height);
  return { x: (frame.width - side) / 2, y: (frame.height - side) / 2, width: side, height: side };
}

function chwToHwc(chw: Float32Array, size: number): Float32Array {
  const plane = size * size;
  const out = new Float32Array(chw.length);
  for (let c = 0; c < 3; c++)
    for (let p = 0; p < plane; p++) out[p * 3 + c] = chw[c * plane + p] ?? 0;
  return out;
}

function base64(floats: Float32Array): string {
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, "base64");
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

// The largest |Δ|, and the largest |Δ| relative to the value's size: far-off anchors score
// logits in the hundreds, where float32 summation order alone moves the last bits.
function maxDiffs(a: Float32Array, b: Float32Array): { abs: number; rel: number } {
  expect(a.length).toBe(b.length);
  let abs = 0;
  let rel = 0;
  a.forEach((value, i) => {
    const reference = b[i] ?? NaN;
    const diff = Math.abs(value - reference);
    abs = Math.max(abs, Number.isNaN(diff) ? Infinity : diff);
    rel = Math.max(rel, diff / Math.max(1, Math.abs(reference)));
  });
  return { abs, rel };
}

/** What the test page adds to its global scope. */
interface TflitePage {
  runTflite(url: string, nhwcBase64: string[], shape: number[]): Promise<Record<string, string>[]>;
}

interface ParityModel {
  readonly title: string;
  readonly file: string;
  readonly size: number;
  readonly options: ConvertTfliteOptions;
  /** Maps cropToTensor's [0, 1] values to the model's input range. */
  readonly normalise: (unit: number) => number;
}

const PARITY_MODELS: readonly ParityModel[] = [
  {
    title: "face detector (BlazeFace short range)",
    file: "face_detection_short_range.tflite",
    size: 128,
    options: FACE_DETECTOR_ONNX_OPTIONS,
    normalise: (unit) => unit * 2 - 1,
  },
  {
    title: "face mesh (468 points)",
    file: "face_landmark.tflite",
    size: 192,
    options: FACE_MESH_ONNX_OPTIONS,
    normalise: (unit) => unit,
  },
];

describe("TFLite → ONNX parity against TFLite's own runtime in Chromium", () => {
  let dir: string;
  let server: StaticServer;
  let browser: LaunchedChromium;
  let foreign: ForeignRequestLog;
  let page: Page;
  let tflite: ReadonlyMap<string, Uint8Array>;
  let stills: RgbaFrame[];
  let frames: RgbaFrame[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "lumen-tflite-parity-"));
    tflite = await readFaceMeshTflite();
    stills = await Promise.all(
      STILLS.map(async (name) =>
        decodeJpeg(new Uint8Array(await readFile(new URL(`stills/${name}`, MEDIA)))),
      ),
    );
    frames = await videoFrames(dir);

    // The page loads the .tflite files by URL, so they are written next to the frames.
    const routes: Record<string, string> = {
      "/index.html": path(new URL("tflite-parity.html", PAGES)),
      "/tflite-parity.js": path(new URL("tflite-parity.js", PAGES)),
      "/tfjs/tf-core.min.js": path(new URL("tfjs-core/dist/tf-core.min.js", TFJS)),
      "/tfjs/tf-backend-cpu.min.js": path(
        new URL("tfjs-backend-cpu/dist/tf-backend-cpu.min.js", TFJS),
      ),
      "/tfjs/tf-tflite.min.js": path(new URL("tfjs-tflite/dist/tf-tflite.min.js", TFJS)),
    };
    // The package ships its interpreter builds (plain, SIMD, threaded) in wasm/ and picks one
    // at run time, so all are routed. They sit beside tf-tflite.min.js because the library
    // probes its own script directory before `setWasmPath` takes effect.
    for (const file of await readdir(new URL("tfjs-tflite/wasm/", TFJS))) {
      routes[`/tfjs/${file}`] = path(new URL(`tfjs-tflite/wasm/${file}`, TFJS));
    }
    for (const { file } of PARITY_MODELS) {
      const bytes = tflite.get(file);
      if (!bytes) throw new Error(`${file} is missing from @mediapipe/face_mesh`);
      await writeFile(join(dir, file), bytes);
      routes[`/models/${file}`] = join(dir, file);
    }
    server = await serveStatic({
      routes,
      headers: { "Content-Security-Policy": "connect-src 'self'" },
    });
    browser = await launchChromium();
    foreign = await recordForeignRequests(browser.context);
    page = await browser.context.newPage();
    await page.goto(`${server.url}/index.html`);
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe.each(PARITY_MODELS)("$title", (model) => {
    let session: InferenceSession;

    beforeAll(async () => {
      const source = tflite.get(model.file);
      if (!source) throw new Error(`${model.file} is missing from @mediapipe/face_mesh`);
      session = await InferenceSession.create(convertTfliteToOnnx(source, model.options));
    });

    async function worstDifference(
      images: readonly RgbaFrame[],
      rect: (image: RgbaFrame) => PixelRect,
    ): Promise<Record<string, number>> {
      const { size } = model;
      const inputs = images.map((image) =>
        cropToTensor(image, rect(image), { size, scale: 1 / 255 }).map(model.normalise),
      );
      const fromTflite = await page.evaluate(
        ({ url, encoded, shape }) =>
          (globalThis as unknown as TflitePage).runTflite(url, encoded, shape),
        {
          url: `/models/${model.file}`,
          encoded: inputs.map((chw) => base64(chwToHwc(chw, size))),
          shape: [1, size, size, 3],
        },
      );
      const worst: Record<string, number> = {};
      for (const [i, chw] of inputs.entries()) {
        const results = await session.run({
          input: new Tensor("float32", chw, [1, 3, size, size]),
        });
        for (const output of model.options.outputs) {
          const reference = fromTflite[i]?.[output.from];
          const ours = results[output.name];
          expect(ours?.dims).toEqual(output.shape);
          if (reference === undefined || ours === undefined) throw new Error("missing output");
          const { abs, rel } = maxDiffs(ours.data as Float32Array, fromBase64(reference));
          worst[output.name] = Math.max(worst[output.name] ?? 0, abs);
          worst[`${output.name} (relative)`] = Math.max(
            worst[`${output.name} (relative)`] ?? 0,
            rel,
          );
        }
      }
      return worst;
    }

    it(`matches TFLite on ${STILLS.length} stills within ${TOLERANCE}`, async () => {
      const worst = await worstDifference(stills, wholeImage);
      console.info(`${model.file} stills max |Δ|`, worst);
      for (const { name } of model.options.outputs) {
        expect(worst[name]).toBeLessThanOrEqual(TOLERANCE);
      }
    });

    it(`matches TFLite on ${VIDEOS.length * FRAMES_PER_VIDEO} genuine video frames within ${TOLERANCE}`, async () => {
      expect(frames).toHaveLength(VIDEOS.length * FRAMES_PER_VIDEO);
      const worst = await worstDifference(frames, centreSquare);
      console.info(`${model.file} video frames max |Δ|`, worst);
      for (const { name } of model.options.outputs) {
        expect(worst[name]).toBeLessThanOrEqual(TOLERANCE);
      }
    });
  });

  it("sent no request off the loopback interface, and every file was found", () => {
    expect(foreign.urls).toEqual([]);
    expect(server.requests.filter((r) => r.status !== 200)).toEqual([]);
  });
});
