// The tracking worker: a module worker running MediaPipe's FaceLandmarker (VIDEO mode) on the
// project's pinned `face_landmarker.task`. tasks-vision's loader calls `importScripts`, which a
// module worker refuses with a TypeError; the loader then falls back to `import()`, which only
// works for the ES-module build of its wasm glue: hence `forVisionTasks(base, true)`.
import { FaceLandmarker, FilesetResolver } from "@mediapipe/tasks-vision";
import { expose, transfer } from "comlink";
import { faceQuality, getModelSpec, loadVerifiedModel, type PixelRect } from "@lumen/core";
import { createFetchModelSource } from "../runtime/fetch-model-source.ts";
import { registerLumenErrorTransfer } from "../runtime/lumen-error-transfer.ts";
import { blockMediapipeTelemetry } from "./block-telemetry.ts";
import type {
  TrackedFace,
  TrackFrameResult,
  TrackingWorkerApi,
  TrackingWorkerInit,
} from "./tracking-api.ts";

registerLumenErrorTransfer();
blockMediapipeTelemetry();

let landmarker: FaceLandmarker | null = null;
let canvas: OffscreenCanvas | null = null;

async function init(options: TrackingWorkerInit): Promise<void> {
  const source = createFetchModelSource(new URL(options.modelBaseUrl));
  const model = await loadVerifiedModel(getModelSpec("face-landmarker"), source);
  // The resolver appends `/vision_wasm_module_internal.js` itself.
  const base = options.tasksVisionBaseUrl.replace(/\/+$/, "");
  const fileset = await FilesetResolver.forVisionTasks(base, true);
  landmarker = await FaceLandmarker.createFromOptions(fileset, {
    baseOptions: { modelAssetBuffer: model, delegate: "CPU" },
    runningMode: "VIDEO",
    numFaces: 2,
    outputFaceBlendshapes: false,
    outputFacialTransformationMatrixes: false,
  });
}

function track(bitmap: ImageBitmap, timestampMs: number): Promise<TrackFrameResult> {
  try {
    if (!landmarker) throw new Error("init() first");
    const startedAt = performance.now();
    const { width, height } = bitmap;
    if (canvas?.width !== width || canvas.height !== height) {
      canvas = new OffscreenCanvas(width, height);
    }
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no 2d context");
    context.drawImage(bitmap, 0, 0);
    const image = context.getImageData(0, 0, width, height);
    const { faceLandmarks } = landmarker.detectForVideo(image, timestampMs);
    let face: TrackedFace | null = null;
    const first = faceLandmarks[0];
    if (first) {
      // Frame pixels, z on the x scale as MediaPipe defines it: core's mesh conventions.
      const points = new Float32Array(first.length * 3);
      let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      first.forEach((point, i) => {
        const x = point.x * width;
        const y = point.y * height;
        points.set([x, y, point.z * width], i * 3);
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      });
      const box: PixelRect = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
      const { luma, sharpness } = faceQuality(image, box);
      face = { box, points, luma, sharpness };
    }
    const result: TrackFrameResult = {
      width,
      height,
      faces: faceLandmarks.length,
      face,
      trackingMs: performance.now() - startedAt,
    };
    return Promise.resolve(transfer(result, face ? [face.points.buffer] : []));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  } finally {
    bitmap.close();
  }
}

function dispose(): Promise<void> {
  landmarker?.close();
  landmarker = null;
  return Promise.resolve();
}

const api: TrackingWorkerApi = { init, track, dispose };
expose(api);
