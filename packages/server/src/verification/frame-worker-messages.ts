import type { FrameEvidence, RgbaImage } from "@lumen/core";
import type { LumenErrorCode, ReferenceKind } from "@lumen/protocol";
import type { PassiveModelFile } from "./onnx-frame-analyzer.ts";

/** Pool → worker: analyse these JPEG frames. */
export interface FrameJob {
  readonly type: "frames";
  readonly id: number;
  readonly frames: readonly Uint8Array[];
  readonly capturedAt: readonly number[];
  readonly maxPixels: number;
}

/** Pool → worker: embed the face of this decoded reference image. */
export interface ReferenceJob {
  readonly type: "reference";
  readonly id: number;
  readonly image: RgbaImage;
  readonly kind: ReferenceKind;
}

/** Pool → worker. */
export type WorkerJob = FrameJob | ReferenceJob;

/** Worker → pool. Pixels never cross back: only per-frame numbers or one embedding. */
export type FrameWorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly id: number; readonly evidence: readonly FrameEvidence[] }
  | { readonly type: "embedded"; readonly id: number; readonly embedding: Float32Array }
  | {
      readonly type: "failed";
      readonly id: number;
      readonly code: LumenErrorCode;
      readonly message: string;
    };

/** What the pool hands a worker at start (`workerData`). */
export interface FrameWorkerData {
  readonly modelDir: string;
  /** The operator's own passive models, run after the shipped ones; each loads pin-checked. */
  readonly operatorModels: readonly PassiveModelFile[];
}
