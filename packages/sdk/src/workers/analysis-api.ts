import type { PixelRect } from "@lumen/core";

/** Where the analysis worker loads its models and runtime from. */
export interface AnalysisWorkerInit {
  readonly modelBaseUrl: string;
  readonly wasmBaseUrl: string;
  /** Try the WebGPU execution provider first (when the worker sees `navigator.gpu`). */
  readonly preferWebGpu: boolean;
  /**
   * Accept a software (fallback) WebGPU adapter such as SwiftShader: same results, far slower
   * than WASM, so only for correctness tests. `false` by default.
   */
  readonly allowSoftwareWebGpu?: boolean;
}

/** Which execution provider runs the ONNX models. */
export type ExecutionProvider = "webgpu" | "wasm";

/** What the worker reports once its models are loaded and verified. */
export interface AnalysisWorkerReady {
  /** The provider every session was actually created on: a silent fallback would be a bug. */
  readonly executionProvider: ExecutionProvider;
  /** Why WebGPU was not used, when it was not. */
  readonly webGpuUnavailable: string | null;
  /**
   * The WASM threads onnxruntime-web runs on, as it settled them: more than 1 only in a
   * cross-origin isolated page (SharedArrayBuffer), else 1.
   */
  readonly numThreads: number;
  /** SHA-256 of the pinned ids and hashes of the models loaded (the token's `models`). */
  readonly modelsHash: string;
}

/** How one frame is to be handled. */
export interface AnalyseFrameRequest {
  /** Encode the frame as JPEG evidence (and hash it) as well as analysing it. */
  readonly evidence: boolean;
  /**
   * Score the face with the passive models (MiniFASNet, MesoNet) as well as finding and meshing
   * it: what an evidence frame's claim carries. Without, only the face's place, mesh and image
   * quality (about a third of the models' time).
   */
  readonly scores: boolean;
  /** Frames larger than this (width × height) are scaled down first. */
  readonly maxPixels: number;
  /** JPEG evidence larger than this is re-encoded at a lower quality. */
  readonly maxJpegBytes: number;
}

/** The face analysed on a frame. */
export interface AnalysedFaceResult {
  readonly box: PixelRect;
  /** 468 mesh landmarks, `x, y, z` in frame pixels. */
  readonly points: Float32Array;
  readonly presence: number;
  /** MiniFASNet's `real - spoof` margin; `null` on a frame analysed without `scores`. */
  readonly liveness: number | null;
  /** MesoNet's probability of a real face; `null` on a frame analysed without `scores`. */
  readonly realness: number | null;
  /** Mean luma of the face box, 0..255 (core's `faceQuality`, as the server measures it). */
  readonly luma: number;
  /** Blur measure of the face box (core's `faceQuality`): lower is blurrier. */
  readonly sharpness: number;
}

/** A JPEG of the analysed pixels, for the evidence upload. */
export interface EncodedEvidence {
  readonly jpeg: Uint8Array<ArrayBuffer>;
  readonly sha256: string;
}

/** What the worker returns for one frame. Pure data; typed arrays are transferred. */
export interface AnalyseFrameResult {
  readonly width: number;
  readonly height: number;
  readonly faces: number;
  readonly face: AnalysedFaceResult | null;
  readonly evidence: EncodedEvidence | null;
  readonly analysisMs: number;
}

/**
 * The analysis worker's API, called through comlink. Frames arrive as transferred
 * `ImageBitmap`s; the caller sends one at a time (back-pressure lives on the page).
 *
 * @example
 * ```ts
 * const api = wrap<AnalysisWorkerApi>(worker);
 * const ready = await api.init({ modelBaseUrl, wasmBaseUrl, preferWebGpu: true });
 * const result = await api.analyse(transfer(bitmap, [bitmap]), request);
 * ```
 */
export interface AnalysisWorkerApi {
  init(init: AnalysisWorkerInit): Promise<AnalysisWorkerReady>;
  analyse(frame: ImageBitmap, request: AnalyseFrameRequest): Promise<AnalyseFrameResult>;
  /** Releases the inference sessions. */
  dispose(): Promise<void>;
}
