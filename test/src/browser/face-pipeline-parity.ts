// Browser half of test/src/face-pipeline-parity.test.ts, bundled by esbuild when the test
// starts: binds @lumen/core's per-frame analysis to onnxruntime-web (WASM) exactly as the
// server binds it to onnxruntime-node, and runs MediaPipe's face_landmarker.task on the same
// pixels. Every model passes loadVerifiedModel (size and SHA-256 pins) before a runtime sees
// it. The test drives the page through `globalThis.lumen`.
import { FaceLandmarker, FilesetResolver } from "@mediapipe/tasks-vision";
import * as ort from "onnxruntime-web/wasm";
import {
  analyseFrame,
  bindOnnxRunners,
  getModelSpec,
  loadVerifiedModel,
  type FrameAnalysisRunners,
  type ModelSource,
  type RgbaImage,
} from "@lumen/core";
import { summariseAnalysis, type AnalysisSummary } from "./analysis-summary.ts";

/** What the page adds to its global scope as `lumen`. */
export interface FacePipelinePage {
  /** Loads and verifies every model; resolves with the error code a wrong pin gets. */
  init(): Promise<{ tamperedPinError: string }>;
  /** Analyses raw RGBA pixels served at `url`. */
  analyse(url: string, width: number, height: number): Promise<PageResult>;
}

/** One image through both browser pipelines. */
export interface PageResult {
  readonly analysis: AnalysisSummary;
  /** The task's first 468 landmarks as `x, y` pairs in frame pixels, or null for no face. */
  readonly task: readonly number[] | null;
}

// The DOM's ImageData, declared here only: the test package compiles without DOM types.
declare const ImageData: new (data: Uint8ClampedArray, width: number, height: number) => object;

const MODEL_BASE = "/models";
const MESH_POINTS = 468;

// A test page owns its whole realm, so ort's global env is set once here. One thread: the
// page is not cross-origin isolated (no SharedArrayBuffer) and the machine has two cores.
// Only the binary's path: a prefix would make ort import its JS glue from there too, which the
// bundle already holds.
ort.env.wasm.wasmPaths = { wasm: "/ort/ort-wasm-simd-threaded.wasm" };
ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;

/** A fetch-based ModelSource that refuses to read more than the pinned size. */
function createFetchModelSource(baseUrl: string): ModelSource {
  return async (file, maxBytes) => {
    const response = await fetch(`${baseUrl}/${encodeURIComponent(file)}`);
    if (!response.ok || !response.body) throw new Error(`${file}: HTTP ${response.status}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    // DOM-free typings leave the body's chunks untyped; fetch gives bytes.
    const reader = response.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new Error(`${file} is larger than the pinned ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  };
}

const source = createFetchModelSource(MODEL_BASE);

async function openSession(id: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(await loadVerifiedModel(getModelSpec(id), source), {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
}

async function createRunners(): Promise<FrameAnalysisRunners> {
  const [detector, mesh, antiSpoof, deepfake] = await Promise.all(
    ["face-detector", "face-mesh", "minifasnet-v2-se", "mesonet4-df"].map(openSession),
  );
  if (!detector || !mesh || !antiSpoof || !deepfake) throw new Error("a session is missing");
  return bindOnnxRunners(
    { detector, mesh, antiSpoof, deepfake },
    (data, dims) => new ort.Tensor("float32", data, dims),
  );
}

async function createLandmarker(): Promise<FaceLandmarker> {
  const bundle = await loadVerifiedModel(getModelSpec("face-landmarker"), source);
  return FaceLandmarker.createFromOptions(
    await FilesetResolver.forVisionTasks("/tasks-vision/wasm"),
    {
      baseOptions: { modelAssetBuffer: bundle, delegate: "CPU" },
      runningMode: "IMAGE",
      numFaces: 1,
      outputFaceBlendshapes: false,
      outputFacialTransformationMatrixes: false,
    },
  );
}

let runners: FrameAnalysisRunners | undefined;
let landmarker: FaceLandmarker | undefined;

async function init(): Promise<{ tamperedPinError: string }> {
  [runners, landmarker] = await Promise.all([createRunners(), createLandmarker()]);
  // The pin check must really run here (WebCrypto in the page), not merely be called.
  const spec = getModelSpec("mesonet4-df");
  try {
    await loadVerifiedModel({ ...spec, sha256: "0".repeat(64) }, source);
    return { tamperedPinError: "none" };
  } catch (error) {
    return { tamperedPinError: String((error as { code?: unknown }).code) };
  }
}

async function analyse(url: string, width: number, height: number): Promise<PageResult> {
  if (!runners || !landmarker) throw new Error("init() first");
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const data = new Uint8Array(await response.arrayBuffer());
  const frame: RgbaImage = { width, height, data };
  const analysis = summariseAnalysis(await analyseFrame(frame, runners));
  const face = landmarker.detect(new ImageData(new Uint8ClampedArray(data.buffer), width, height))
    .faceLandmarks[0];
  const task = face?.slice(0, MESH_POINTS).flatMap(({ x, y }) => [x * width, y * height]);
  return { analysis, task: task ?? null };
}

const page: FacePipelinePage = { init, analyse };
(globalThis as unknown as { lumen: FacePipelinePage }).lumen = page;
