import pins from "./model-pins.json" with { type: "json" };
import type { ModelInputSpec, ModelSpec } from "./model-spec.ts";
import { LumenError } from "@lumen/protocol";

const MINIFASNET_INPUT = {
  name: "input",
  shape: [-1, 3, 128, 128],
  layout: "NCHW",
  colourOrder: "RGB",
  normalisation: "value / 255",
  crop: "square of the face box's longer side enlarged 1.5x about its centre, reflection padding (reflect-101) at image borders, bilinear resize to 128x128",
} as const;

const MINIFASNET_OUTPUT =
  "output [N,2] logits [real, spoof]; the liveness score is real - spoof, above 0 reads as real";

const MESONET_INPUT = {
  name: "input",
  shape: [-1, 3, 256, 256],
  layout: "NCHW",
  colourOrder: "RGB",
  normalisation: "value / 255",
  crop: "square of the face box's longer side enlarged 1.3x about its centre (about the framing of MesoNet's aligned training crops), reflection padding (reflect-101) at image borders, bilinear resize to 256x256",
} as const;

const MESONET_OUTPUT =
  "output [N,1] sigmoid probability that the face is real (about 1 = real); weak on webcam faces, an auxiliary signal only";

// Silent-Face-Anti-Spoofing's own pair; upstream's CropImage gives each its own crop scale.
function silentFaceInput(scale: string): ModelInputSpec {
  return {
    name: "input",
    shape: [-1, 3, 80, 80],
    layout: "NCHW",
    colourOrder: "BGR",
    normalisation: "none: raw values 0..255",
    crop: `the face box scaled ${scale}x about its centre, kept inside the image by shrinking the scale and shifting the box as upstream CropImage does, resized to 80x80`,
  };
}

const SILENTFACE_OUTPUT =
  "output [N,3] logits; softmax class 1 = real; the score is log-odds of class 1 against the other two";

type PinnedId = keyof typeof pins;

function pinned(id: PinnedId, spec: Omit<ModelSpec, "id" | "sha256" | "bytes">): ModelSpec {
  return { id, ...spec, ...pins[id] };
}

/**
 * Every model Lumen runs, pinned by SHA-256 and size. The pins are compiled into the SDK and the
 * server, so a model folder (or CDN) that serves other bytes is refused, whatever its manifest
 * says. `pnpm models` rebuilds the files reproducibly and fails if they drift from these pins.
 *
 * @example
 * ```ts
 * const spec = getModelSpec("minifasnet-v2-se");
 * spec.input.shape; // [-1, 3, 128, 128]
 * ```
 */
export const MODEL_CATALOG: readonly ModelSpec[] = [
  pinned("face-landmarker", {
    version: "1.0.0",
    file: "face_landmarker.task",
    format: "mediapipe-task",
    licence: "Apache-2.0",
    input: {
      name: "image",
      shape: [1, 192, 192, 3],
      layout: "NHWC",
      colourOrder: "RGB",
      normalisation:
        "done by MediaPipe from the TFLite metadata: detector (value - 127.5) / 127.5, landmarks value / 255",
      crop: "the whole video frame; MediaPipe finds the face and crops it itself",
    },
    output:
      "478 landmarks per face (x, y normalised to the frame, z relative depth) and a face presence score",
  }),
  pinned("face-detector", {
    version: "1.0.0",
    file: "face-detector.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: {
      name: "input",
      shape: [1, 3, 128, 128],
      layout: "NCHW",
      colourOrder: "RGB",
      normalisation: "value * 2 / 255 - 1",
      crop: "the whole frame letterboxed to a square with black bars, bilinear resize to 128x128",
    },
    output:
      "regressors [1,896,16] box centre, size and 6 keypoints per SSD anchor (in 128-pixel input units); classificators [1,896,1] face logits",
  }),
  pinned("face-mesh", {
    version: "1.0.0",
    file: "face-mesh.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: {
      name: "input",
      shape: [1, 3, 192, 192],
      layout: "NCHW",
      colourOrder: "RGB",
      normalisation: "value / 255",
      crop: "the detection box turned upright by the eye keypoints, enlarged 1.5x to a square, bilinear warp to 192x192 with replicated borders",
    },
    output:
      "landmarks [1,1404] 468 points x, y, z in input pixels; face_flag [1,1] face presence logit",
  }),
  pinned("minifasnet-v2-se", {
    version: "98.20",
    file: "minifasnet-v2-se.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: MINIFASNET_INPUT,
    output: MINIFASNET_OUTPUT,
  }),
  pinned("minifasnet-v2-se-int8", {
    version: "98.20-int8",
    file: "minifasnet-v2-se.int8.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: MINIFASNET_INPUT,
    output: MINIFASNET_OUTPUT,
  }),
  pinned("mesonet4-df", {
    version: "1.0.0",
    file: "mesonet4-df.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: MESONET_INPUT,
    output: MESONET_OUTPUT,
  }),
  pinned("mesonet4-f2f", {
    version: "1.0.0",
    file: "mesonet4-f2f.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: MESONET_INPUT,
    output: MESONET_OUTPUT,
  }),
  pinned("mesoinception4-df", {
    version: "1.0.0",
    file: "mesoinception4-df.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: MESONET_INPUT,
    output: MESONET_OUTPUT,
  }),
  pinned("mesoinception4-f2f", {
    version: "1.0.0",
    file: "mesoinception4-f2f.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: MESONET_INPUT,
    output: MESONET_OUTPUT,
  }),
  pinned("hyperfas", {
    version: "1.0.0",
    file: "hyperfas.onnx",
    format: "onnx",
    licence: "BSD-3-Clause",
    // zeusees/HyperFAS src/demo.py: OpenCV BGR frame, MTCNN box, (cv2.resize(X) - 127.5) / 127.5.
    input: {
      name: "input",
      shape: [-1, 3, 224, 224],
      layout: "NCHW",
      colourOrder: "BGR",
      normalisation: "(value - 127.5) / 127.5, outside the model, as upstream feeds Keras",
      crop: "square of the face box's longer side enlarged 1.2x about its centre (upstream: 0.6x the longer side of an MTCNN box either side of its centre), cut off at image borders rather than padded, bilinear resize to 224x224",
    },
    output:
      "output [N,1] sigmoid score that the face is live (about 1 = live, about 0 = print or screen); upstream's demo accepts a face above 0.95",
  }),
  pinned("face-recognition-resnet29", {
    version: "1.0.0",
    file: "face-recognition-resnet29.onnx",
    format: "onnx",
    // dlib's weights are public domain (dlib-models README); face-api's TF.js files are MIT.
    licence: "LicenseRef-dlib-models-public-domain AND MIT",
    input: {
      name: "input",
      shape: [-1, 3, 150, 150],
      layout: "NCHW",
      colourOrder: "RGB",
      normalisation:
        "none outside the model: raw values 0..255; the graph subtracts the mean RGB [122.782, 117.001, 104.298] and divides by 256, as dlib does (face-api 1.7.15 divides by 255)",
      crop: "a 150x150 face chip: dlib trained on chips aligned by a similarity transform from facial landmarks (get_face_chip_details(shape, 150, 0.25)), bilinear",
    },
    output:
      "embedding [N,128] face descriptor (dlib ResNet-29), not L2-normalised; compare two faces by Euclidean distance (dlib's published operating point on LFW is 0.6), with the threshold in force measured on data",
  }),
  pinned("silentface-minifasnet-v2", {
    version: "1.0.0",
    file: "silentface-minifasnet-v2.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: silentFaceInput("2.7"),
    output: SILENTFACE_OUTPUT,
  }),
  pinned("silentface-minifasnet-v1se", {
    version: "1.0.0",
    file: "silentface-minifasnet-v1se.onnx",
    format: "onnx",
    licence: "Apache-2.0",
    input: silentFaceInput("4.0"),
    output: SILENTFACE_OUTPUT,
  }),
];

/**
 * The pinned spec of one model.
 *
 * @example
 * ```ts
 * getModelSpec("face-landmarker").file; // "face_landmarker.task"
 * ```
 */
export function getModelSpec(id: string): ModelSpec {
  const spec = MODEL_CATALOG.find((candidate) => candidate.id === id);
  if (!spec) throw new LumenError("MODEL_UNKNOWN", `No model "${id}" is pinned in the catalog`);
  return spec;
}
