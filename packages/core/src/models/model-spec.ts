/** How a model wants its input; the same rule is applied in the browser and on the server. */
export interface ModelInputSpec {
  /** Input tensor name, or `image` for MediaPipe bundles that take a whole frame. */
  readonly name: string;
  /** Tensor shape; -1 marks the batch dimension. */
  readonly shape: readonly number[];
  readonly layout: "NCHW" | "NHWC";
  readonly colourOrder: "RGB" | "BGR";
  /** Human-readable normalisation, e.g. `value / 255`. */
  readonly normalisation: string;
  /** Which part of the frame is fed, and how it is cut out and resized. */
  readonly crop: string;
}

/** One model the SDK or the server runs, pinned by content. */
export interface ModelSpec {
  /** Stable id used in code, manifests and tokens. */
  readonly id: string;
  /** The model's own version: bump it whenever the output bytes change on purpose. */
  readonly version: string;
  /** File name inside the model folder (`models/dist/` or an integrator's `modelBaseUrl`). */
  readonly file: string;
  readonly format: "onnx" | "mediapipe-task";
  /** SHA-256 (hex) of the file the loader accepts. */
  readonly sha256: string;
  /** Exact size in bytes, checked before hashing so a huge file is refused early. */
  readonly bytes: number;
  /** SPDX licence id of the weights. */
  readonly licence: string;
  readonly input: ModelInputSpec;
  /** What the outputs mean and how to read a score from them. */
  readonly output: string;
}
