import type { ConvertTfliteOptions } from "./convert-tflite-to-onnx.ts";

/**
 * How `convertTfliteToOnnx` exposes MediaPipe's BlazeFace short-range detector
 * (`face_detection_short_range.tflite` of `@mediapipe/face_mesh@0.4.1657299874`) to the
 * server: input `input [1,3,128,128]` float32 NCHW RGB already normalised to [-1, 1]
 * (`pixel / 127.5 - 1`); outputs `regressors [1,896,16]` (per anchor: box centre offset x, y,
 * width, height, then 6 keypoints x, y, in 128-pixel units relative to the anchor) and
 * `classificators [1,896,1]` (per anchor score logit), anchors in TFLite's order.
 *
 * @example
 * ```ts
 * const onnx = convertTfliteToOnnx(faceDetectionTflite, FACE_DETECTOR_ONNX_OPTIONS);
 * ```
 */
export const FACE_DETECTOR_ONNX_OPTIONS = {
  graphName: "face_detector",
  inputName: "input",
  outputs: [
    { from: "regressors", name: "regressors", shape: [1, 896, 16] },
    { from: "classificators", name: "classificators", shape: [1, 896, 1] },
  ],
  docString:
    "MediaPipe BlazeFace short range (face_detection_short_range.tflite, Apache-2.0) converted from TFLite. input [1,3,128,128] RGB in [-1,1]; regressors [1,896,16]; classificators [1,896,1] logits.",
} as const satisfies ConvertTfliteOptions;

/**
 * How `convertTfliteToOnnx` exposes MediaPipe's 468-point face mesh (`face_landmark.tflite`,
 * the model without attention, of `@mediapipe/face_mesh@0.4.1657299874`) to the server: input
 * `input [1,3,192,192]` float32 NCHW RGB in [0, 1] (`pixel / 255`) of the face crop; outputs
 * `landmarks [1,1404]` (468 × x, y, z, x and y in crop pixels 0–192, z on the x scale) and
 * `face_flag [1,1]` (the face-presence logit; sigmoid gives the probability).
 *
 * @example
 * ```ts
 * const onnx = convertTfliteToOnnx(faceLandmarkTflite, FACE_MESH_ONNX_OPTIONS);
 * ```
 */
export const FACE_MESH_ONNX_OPTIONS = {
  graphName: "face_mesh",
  inputName: "input",
  outputs: [
    // The TFLite file names its outputs after the convolutions that compute them.
    { from: "conv2d_21", name: "landmarks", shape: [1, 1404] },
    { from: "conv2d_31", name: "face_flag", shape: [1, 1] },
  ],
  docString:
    "MediaPipe face mesh, 468 points (face_landmark.tflite, Apache-2.0) converted from TFLite. input [1,3,192,192] RGB in [0,1]; landmarks [1,1404] = 468 x,y,z in crop pixels; face_flag [1,1] logit.",
} as const satisfies ConvertTfliteOptions;
