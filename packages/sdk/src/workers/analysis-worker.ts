// The analysis worker: a module worker the page talks to through comlink. It owns its realm, so
// onnxruntime-web's global env is set only here.
import { expose, transfer } from "comlink";
import { analyseFrame, faceQuality, locateFace, type FaceLocation } from "@lumen/core";
import { encodeJpegEvidence, evidenceSize } from "../evidence/encode-jpeg.ts";
import { createFetchModelSource } from "../runtime/fetch-model-source.ts";
import { registerLumenErrorTransfer } from "../runtime/lumen-error-transfer.ts";
import type {
  AnalysedFaceResult,
  AnalyseFrameRequest,
  AnalyseFrameResult,
  AnalysisWorkerApi,
  AnalysisWorkerInit,
  AnalysisWorkerReady,
} from "./analysis-api.ts";
import { createOnnxFrameRunners, type OnnxFrameRunners } from "./onnx-frame-runners.ts";

// onnxruntime-web's WASM threads start this same script (emscripten names them `em-pthread`);
// each runs the thread code of the WASM-only build, which the analysis itself loads only once
// it knows WebGPU is not used. The WebGPU build runs on one thread, so no thread needs it.
if (self.name.startsWith("em-pthread")) await import("onnxruntime-web/wasm");

registerLumenErrorTransfer();

let onnx: OnnxFrameRunners | null = null;
let canvas: OffscreenCanvas | null = null;

async function init(options: AnalysisWorkerInit): Promise<AnalysisWorkerReady> {
  const source = createFetchModelSource(new URL(options.modelBaseUrl));
  onnx = await createOnnxFrameRunners(source, {
    wasmBaseUrl: new URL(options.wasmBaseUrl),
    preferWebGpu: options.preferWebGpu,
    allowSoftwareWebGpu: options.allowSoftwareWebGpu ?? false,
  });
  const { executionProvider, webGpuUnavailable, numThreads, modelsHash } = onnx;
  return { executionProvider, webGpuUnavailable, numThreads, modelsHash };
}

async function analyse(
  bitmap: ImageBitmap,
  request: AnalyseFrameRequest,
): Promise<AnalyseFrameResult> {
  try {
    if (!onnx) throw new Error("init() first");
    const startedAt = performance.now();
    const { width, height } = evidenceSize(bitmap.width, bitmap.height, request.maxPixels);
    if (canvas?.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
    }
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no 2d context");
    context.drawImage(bitmap, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    let analysis: FaceLocation;
    let scores: Pick<AnalysedFaceResult, "liveness" | "realness"> | null = null;
    if (request.scores) {
      const analysed = await analyseFrame(image, onnx.runners);
      analysis = analysed;
      if (analysed.face) scores = analysed.face;
    } else {
      analysis = await locateFace(image, onnx.runners);
    }
    const evidence = request.evidence
      ? await encodeJpegEvidence(canvas, request.maxJpegBytes)
      : null;
    let face: AnalysedFaceResult | null = null;
    if (analysis.face) {
      const { box, landmarks } = analysis.face;
      const { luma, sharpness } = faceQuality(image, box);
      face = {
        box,
        // A copy: the mesh output may be a view into memory the runtime keeps.
        points: new Float32Array(landmarks.points),
        presence: landmarks.presence,
        liveness: scores?.liveness ?? null,
        realness: scores?.realness ?? null,
        luma,
        sharpness,
      };
    }
    const result: AnalyseFrameResult = {
      width,
      height,
      faces: analysis.faces.length,
      face,
      evidence,
      analysisMs: performance.now() - startedAt,
    };
    const buffers: Transferable[] = [];
    if (face) buffers.push(face.points.buffer);
    if (evidence) buffers.push(evidence.jpeg.buffer);
    return transfer(result, buffers);
  } finally {
    bitmap.close();
  }
}

async function dispose(): Promise<void> {
  await onnx?.release();
  onnx = null;
}

const api: AnalysisWorkerApi = { init, analyse, dispose };
expose(api);
