import type { PassiveModel } from "./passive-model.ts";

const onnx = { layout: "NCHW", inputName: "input", outputName: "output" } as const;

const MESONET = {
  ...onnx,
  detects: "deepfake",
  // MesoNet's aligned training crops show the whole face with a small margin: 1.3x the box.
  crop: { kind: "square", scale: 1.3 },
  size: 256,
  colourOrder: "RGB",
  scale: 1 / 255,
  offset: 0,
  output: { kind: "sigmoid", positive: "real" },
} as const;

// Silent-Face feeds OpenCV's BGR pixels unscaled (src/data_io/functional.py to_tensor), 3
// classes of which 1 is a live face; the crop scale is the number the file name starts with.
const SILENT_FACE = {
  ...onnx,
  detects: "spoof",
  size: 80,
  colourOrder: "BGR",
  scale: 1,
  offset: 0,
  output: { kind: "softmax", real: 1, classes: 3 },
} as const;

/**
 * The passive models Lumen ships, by catalog id: how each is fed and read (see
 * {@link PassiveModel}; the catalog's `input`/`output` text says the same in words).
 *
 * @example
 * ```ts
 * PASSIVE_MODELS["minifasnet-v2-se"].crop; // { kind: "square", scale: 1.5 }
 * ```
 */
export const PASSIVE_MODELS = {
  "minifasnet-v2-se": {
    ...onnx,
    id: "minifasnet-v2-se",
    detects: "spoof",
    crop: { kind: "square", scale: 1.5 },
    size: 128,
    colourOrder: "RGB",
    scale: 1 / 255,
    offset: 0,
    output: { kind: "logit-margin", real: 0, attack: 1 },
  },
  "mesonet4-df": { ...MESONET, id: "mesonet4-df" },
  "mesonet4-f2f": { ...MESONET, id: "mesonet4-f2f" },
  "mesoinception4-df": { ...MESONET, id: "mesoinception4-df" },
  "mesoinception4-f2f": { ...MESONET, id: "mesoinception4-f2f" },
  "silentface-minifasnet-v2": {
    ...SILENT_FACE,
    id: "silentface-minifasnet-v2",
    crop: { kind: "inside-frame", scale: 2.7 },
  },
  "silentface-minifasnet-v1se": {
    ...SILENT_FACE,
    id: "silentface-minifasnet-v1se",
    crop: { kind: "inside-frame", scale: 4 },
  },
  hyperfas: {
    ...onnx,
    id: "hyperfas",
    detects: "spoof",
    // Upstream cuts 0.6x the MTCNN box's longer side either side of its centre, clipped at the
    // image border; a face inside the frame gets the same square here (reflection only at borders).
    crop: { kind: "square", scale: 1.2 },
    size: 224,
    colourOrder: "BGR",
    // (value − 127.5) / 127.5, as zeusees/HyperFAS src/demo.py feeds Keras.
    scale: 2 / 255,
    offset: -1,
    output: { kind: "sigmoid", positive: "real" },
  },
} as const satisfies Record<string, PassiveModel>;

/** Id of a shipped passive model. */
export type PassiveModelId = keyof typeof PASSIVE_MODELS;

/**
 * The shipped passive models the server runs on top of the two the SDK also runs
 * (`minifasnet-v2-se`, `mesonet4-df`), whose scores feed the passive fusion.
 */
export const SERVER_PASSIVE_MODEL_IDS = [
  "hyperfas",
  "mesonet4-f2f",
  "mesoinception4-df",
  "mesoinception4-f2f",
  "silentface-minifasnet-v2",
  "silentface-minifasnet-v1se",
] as const satisfies readonly PassiveModelId[];
