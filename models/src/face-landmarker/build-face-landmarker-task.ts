import { LumenError } from "@lumen/protocol";
import { buildImageModelMetadata } from "../tflite/build-image-model-metadata.ts";
import { extendTfliteModel } from "../tflite/extend-tflite-model.ts";
import { readTfliteModel } from "../tflite/read-tflite-model.ts";
import { writeStoredZip } from "../zip/write-stored-zip.ts";
import { attentionMeshFusion } from "./attention-mesh-fusion.ts";

/** The legacy `@mediapipe/face_mesh` files a `face_landmarker.task` is made from. */
export interface FaceLandmarkerParts {
  /** `face_detection_short_range.tflite` (128x128 BlazeFace short range). */
  readonly detector: Uint8Array;
  /** `face_landmark_with_attention.tflite` (192x192, seven outputs). */
  readonly landmarksWithAttention: Uint8Array;
  /** `geometry_pipeline_metadata_landmarks.binarypb`, copied unchanged. */
  readonly geometryMetadata: Uint8Array;
}

const METADATA_NAME = "TFLITE_METADATA";

function inputName(bytes: Uint8Array, what: string): string {
  const subgraph = readTfliteModel(bytes).subgraphs[0];
  const input =
    subgraph?.inputs.length === 1 ? subgraph.tensors[subgraph.inputs[0] ?? -1] : undefined;
  if (!input || input.shape.length !== 4 || input.shape[3] !== 3 || input.type !== 0) {
    throw new LumenError(
      "MODEL_SOURCE_INVALID",
      `The ${what} must have one float32 [1,H,W,3] image input`,
    );
  }
  return input.name;
}

function faceDetector(bytes: Uint8Array): Uint8Array {
  const metadata = buildImageModelMetadata({
    name: "face_detector",
    description: "BlazeFace short range, from @mediapipe/face_mesh",
    inputName: inputName(bytes, "face detector"),
    // BlazeFace takes pixels in [-1, 1].
    mean: [127.5],
    std: [127.5],
    outputNames: ["regressors", "classificators"],
  });
  return extendTfliteModel(bytes, { metadata: [{ name: METADATA_NAME, data: metadata }] });
}

function faceLandmarksDetector(bytes: Uint8Array): Uint8Array {
  const metadata = buildImageModelMetadata({
    name: "face_landmarks_detector",
    description: "Attention face mesh, sub-outputs fused into 478 landmarks",
    inputName: inputName(bytes, "face landmarks model"),
    // The attention mesh takes pixels in [0, 1].
    mean: [0],
    std: [255],
    outputNames: ["landmarks", "face_flag"],
  });
  return extendTfliteModel(bytes, {
    ...attentionMeshFusion(readTfliteModel(bytes)),
    metadata: [{ name: METADATA_NAME, data: metadata }],
  });
}

/**
 * Builds a MediaPipe Tasks `face_landmarker.task` (for `@mediapipe/tasks-vision` 1.1.0) from
 * the legacy face-mesh models: TFLite metadata added to both models, the attention mesh's seven
 * outputs fused into the 478 landmarks and presence logit the Tasks graph reads, and the
 * members zipped STORED. Deterministic: the same parts give byte-identical bundles. There is no
 * blendshapes model, so callers must not ask for blendshapes.
 *
 * @example
 * ```ts
 * const task = buildFaceLandmarkerTask({ detector, landmarksWithAttention, geometryMetadata });
 * await writeFile("models/dist/face_landmarker.task", task);
 * ```
 */
export function buildFaceLandmarkerTask(parts: FaceLandmarkerParts): Uint8Array {
  return writeStoredZip([
    { name: "face_detector.tflite", data: faceDetector(parts.detector) },
    {
      name: "face_landmarks_detector.tflite",
      data: faceLandmarksDetector(parts.landmarksWithAttention),
    },
    { name: "geometry_pipeline_metadata_landmarks.binarypb", data: parts.geometryMetadata },
  ]);
}
