import type { PixelRect } from "@lumen/core";

/** Where the tracking worker loads MediaPipe Tasks and its face landmarker from. */
export interface TrackingWorkerInit {
  /** Folder holding `face_landmarker.task` (pinned by SHA-256 like every model). */
  readonly modelBaseUrl: string;
  /** Folder holding `@mediapipe/tasks-vision`'s `vision_wasm_module_internal.{js,wasm}`. */
  readonly tasksVisionBaseUrl: string;
}

/** The face the landmarker tracks on one frame, with the image quality of its region. */
export interface TrackedFace {
  /** The landmarks' bounding box, in frame pixels. */
  readonly box: PixelRect;
  /** 478 landmarks (the 468-point mesh, then 10 iris points), `x, y, z` in frame pixels. */
  readonly points: Float32Array;
  /** Mean luma of the face box, 0..255 (core's `faceQuality`, as the server measures it). */
  readonly luma: number;
  /** Blur measure of the face box (core's `faceQuality`): lower is blurrier. */
  readonly sharpness: number;
}

/** What the tracking worker returns for one frame. Pure data; typed arrays are transferred. */
export interface TrackFrameResult {
  readonly width: number;
  readonly height: number;
  /** Faces found (the landmarker looks for up to two, to tell "several faces"). */
  readonly faces: number;
  readonly face: TrackedFace | null;
  readonly trackingMs: number;
}

/**
 * The tracking worker's API, called through comlink: MediaPipe's FaceLandmarker in VIDEO mode.
 * Frames arrive as transferred `ImageBitmap`s with strictly increasing timestamps.
 *
 * @example
 * ```ts
 * const api = wrap<TrackingWorkerApi>(worker);
 * await api.init({ modelBaseUrl, tasksVisionBaseUrl });
 * const { faces, face } = await api.track(transfer(bitmap, [bitmap]), timestampMs);
 * ```
 */
export interface TrackingWorkerApi {
  init(init: TrackingWorkerInit): Promise<void>;
  track(frame: ImageBitmap, timestampMs: number): Promise<TrackFrameResult>;
  /** Closes the landmarker. */
  dispose(): Promise<void>;
}
