// The messages between server-bench.ts and its bare-model workers (lib/bare-model-worker.ts).
import { SERVER_PASSIVE_MODEL_IDS } from "@lumen/core";

/** One recorded `session.run`: which of the server's analysis models, and its input tensors. */
export interface BareRunData {
  /** Index into `BARE_MODELS`. */
  readonly model: number;
  readonly feeds: Readonly<
    Record<string, { readonly data: Float32Array; readonly dims: number[] }>
  >;
}

/** The worker's `workerData`: where the models are and the calls of one session. */
export interface BareWorkerData {
  readonly modelDir: string;
  readonly runs: readonly BareRunData[];
}

/** The server's analysis models, in the order `BareRunData.model` indexes. */
export const BARE_MODELS = [
  "face-detector",
  "face-mesh",
  "minifasnet-v2-se",
  "mesonet4-df",
  "face-recognition-resnet29",
  ...SERVER_PASSIVE_MODEL_IDS,
];
