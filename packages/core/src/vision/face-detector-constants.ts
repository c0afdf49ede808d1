import type { SsdAnchorOptions } from "./ssd-anchors.ts";

/** Side of the face detector's square input (BlazeFace short range). */
export const FACE_DETECTOR_INPUT_SIZE = 128;

/**
 * The anchor layout the short-range BlazeFace weights were trained with, from MediaPipe's
 * `face_detection_short_range_common.pbtxt` (`SsdAnchorsCalculator`; the interpolated-scale
 * anchor is the calculator's default): 16×16 cells × 2 at stride 8, then 8×8 cells × 6 for the
 * three stride-16 layers, 896 in all, in the order of the model's 896 output rows.
 */
export const FACE_DETECTOR_ANCHOR_OPTIONS: SsdAnchorOptions = {
  inputWidth: FACE_DETECTOR_INPUT_SIZE,
  inputHeight: FACE_DETECTOR_INPUT_SIZE,
  strides: [8, 16, 16, 16],
  aspectRatios: [1],
  interpolatedScaleAspectRatio: 1,
  anchorOffsetX: 0.5,
  anchorOffsetY: 0.5,
};

/** Rows of the detector's output: one per anchor. */
export const FACE_DETECTOR_ANCHOR_COUNT = 896;

/**
 * Minimum face probability a detection must reach, MediaPipe's `min_score_thresh` for the
 * short-range model (also the Tasks API's default `minDetectionConfidence`). Lower lets through
 * partial faces and face-like textures; the mesh's presence score is a second gate.
 */
export const FACE_DETECTOR_MIN_SCORE = 0.5;

/**
 * Logits are clipped to ±this before the sigmoid, MediaPipe's `score_clipping_thresh`: it keeps
 * `exp` finite for any float the model emits; the score is exactly 0 or 1 past it anyway.
 */
export const FACE_DETECTOR_SCORE_CLIP = 100;

/**
 * Boxes overlapping the best remaining box by more than this intersection-over-union are
 * merged into it, MediaPipe's `min_suppression_threshold` (weighted NMS). Anchors are dense, so
 * one face fires several neighbouring anchors; two real faces rarely overlap this much.
 */
export const FACE_DETECTOR_MIN_SUPPRESSION_IOU = 0.3;

/**
 * The detector's six keypoints in output order (MediaPipe's `FaceKeyPoint`), named from the
 * subject's point of view: on an unmirrored frame the right eye is on the image's left.
 */
export const FACE_DETECTOR_KEYPOINTS = [
  "rightEye",
  "leftEye",
  "noseTip",
  "mouthCenter",
  "rightEarTragion",
  "leftEarTragion",
] as const;
