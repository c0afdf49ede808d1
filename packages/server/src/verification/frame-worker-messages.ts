import type { FrameEvidence } from "@lumen/core";
import type { LumenErrorCode } from "@lumen/protocol";

/** Pool → worker: analyse these JPEG frames. */
export interface FrameJob {
  readonly id: number;
  readonly frames: readonly Uint8Array[];
  readonly capturedAt: readonly number[];
  readonly maxPixels: number;
}

/** Worker → pool. Pixels never cross back: only per-frame numbers. */
export type FrameWorkerMessage =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly id: number; readonly evidence: readonly FrameEvidence[] }
  | {
      readonly type: "failed";
      readonly id: number;
      readonly code: LumenErrorCode;
      readonly message: string;
    };

/** What the pool hands a worker at start (`workerData`). */
export interface FrameWorkerData {
  readonly modelDir: string;
}
