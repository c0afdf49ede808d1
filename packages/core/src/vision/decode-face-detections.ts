import type { PixelPoint } from "../image/rgba-image.ts";
import {
  FACE_DETECTOR_ANCHOR_COUNT,
  FACE_DETECTOR_ANCHOR_OPTIONS,
  FACE_DETECTOR_INPUT_SIZE,
  FACE_DETECTOR_KEYPOINTS,
  FACE_DETECTOR_MIN_SCORE,
  FACE_DETECTOR_MIN_SUPPRESSION_IOU,
  FACE_DETECTOR_SCORE_CLIP,
} from "./face-detector-constants.ts";
import type { FaceDetection } from "./face-detection.ts";
import type { Letterbox } from "./letterbox.ts";
import { sigmoid } from "./sigmoid.ts";
import { ssdAnchors } from "./ssd-anchors.ts";
import { weightedNonMaxSuppression } from "./weighted-non-max-suppression.ts";

/** The face detector's two outputs, as the runtime returns them (`tensor.data`). */
export interface FaceDetectorOutputs {
  /** `regressors [1, 896, 16]`: box x, y, w, h then six keypoints x, y, in input pixels. */
  readonly regressors: ArrayLike<number>;
  /** `classificators [1, 896, 1]`: face logits. */
  readonly classificators: ArrayLike<number>;
}

/** Options of {@link decodeFaceDetections}; the defaults are MediaPipe's. */
export interface FaceDetectionOptions {
  /** Default {@link FACE_DETECTOR_MIN_SCORE}. */
  readonly minScore?: number;
  /** Default {@link FACE_DETECTOR_MIN_SUPPRESSION_IOU}. */
  readonly minSuppressionIou?: number;
  /** Keep at most this many faces, best first. Default: all. */
  readonly maxFaces?: number;
}

/** {@link FaceDetectionOptions} with defaults applied. */
export interface ResolvedFaceDetectionOptions {
  readonly minScore: number;
  readonly minSuppressionIou: number;
  readonly maxFaces: number;
}

/**
 * Applies defaults and checks ranges, so a bad option fails before any inference runs.
 *
 * @throws {RangeError} for thresholds outside [0, 1] or a `maxFaces` that is not a positive
 *   integer.
 */
export function resolveFaceDetectionOptions(
  options: FaceDetectionOptions = {},
): ResolvedFaceDetectionOptions {
  const {
    minScore = FACE_DETECTOR_MIN_SCORE,
    minSuppressionIou = FACE_DETECTOR_MIN_SUPPRESSION_IOU,
    maxFaces = Infinity,
  } = options;
  if (!(minScore >= 0 && minScore <= 1)) throw new RangeError("minScore must be in [0, 1]");
  if (!(minSuppressionIou >= 0 && minSuppressionIou <= 1)) {
    throw new RangeError("minSuppressionIou must be in [0, 1]");
  }
  if (!(maxFaces === Infinity || (Number.isInteger(maxFaces) && maxFaces > 0))) {
    throw new RangeError("maxFaces must be a positive integer");
  }
  return { minScore, minSuppressionIou, maxFaces };
}

const ANCHORS = ssdAnchors(FACE_DETECTOR_ANCHOR_OPTIONS);
const COORDS = 16;
const KEYPOINTS = FACE_DETECTOR_KEYPOINTS.length;
// Offsets are in input pixels; anchors are 1×1 in normalised units.
const UNIT = 1 / FACE_DETECTOR_INPUT_SIZE;

/**
 * Faces from the detector's raw outputs, as MediaPipe's short-range graph decodes them: each
 * row's box and keypoints are offsets from its anchor (x before y, the model's
 * `reverse_output_order`), the score is the clipped sigmoid of the logit, rows under
 * `minScore` are dropped, overlapping rows are merged by weighted NMS, and the letterbox is
 * removed so everything comes back in frame pixels.
 *
 * @throws {RangeError} if an output has the wrong length or a used value is not finite: the
 *   wrong model is bound or the runtime is broken, which no frame can cause.
 * @example
 * ```ts
 * const { input, letterbox } = faceDetectorInput(frame);
 * const out = await session.run({ input: new Tensor("float32", input, [1, 3, 128, 128]) });
 * const faces = decodeFaceDetections(
 *   { regressors: out.regressors.data as Float32Array, classificators: out.classificators.data as Float32Array },
 *   letterbox,
 * );
 * ```
 */
export function decodeFaceDetections(
  outputs: FaceDetectorOutputs,
  letterbox: Letterbox,
  options: FaceDetectionOptions = {},
): FaceDetection[] {
  const { minScore, minSuppressionIou, maxFaces } = resolveFaceDetectionOptions(options);
  const { regressors, classificators } = outputs;
  if (regressors.length !== FACE_DETECTOR_ANCHOR_COUNT * COORDS) {
    throw new RangeError(
      `regressors must hold ${FACE_DETECTOR_ANCHOR_COUNT * COORDS} values, got ${regressors.length}`,
    );
  }
  if (classificators.length !== FACE_DETECTOR_ANCHOR_COUNT) {
    throw new RangeError(
      `classificators must hold ${FACE_DETECTOR_ANCHOR_COUNT} values, got ${classificators.length}`,
    );
  }
  const { padX, padY, side } = letterbox;
  if (!(side > 0 && Number.isFinite(padX + padY + side))) {
    throw new RangeError("The letterbox is empty or not finite");
  }

  const candidates: FaceDetection[] = [];
  for (let i = 0; i < FACE_DETECTOR_ANCHOR_COUNT; i++) {
    const logit = classificators[i] ?? Number.NaN;
    if (Number.isNaN(logit)) throw new RangeError(`Detector score ${i} is NaN`);
    const score = sigmoid(logit, FACE_DETECTOR_SCORE_CLIP);
    if (score < minScore) continue;

    const row = i * COORDS;
    let finite = true;
    for (let k = row; k < row + COORDS; k++) finite &&= Number.isFinite(regressors[k]);
    if (!finite) throw new RangeError(`Detector box ${i} is not finite`);
    const anchorX = ANCHORS[2 * i] ?? 0;
    const anchorY = ANCHORS[2 * i + 1] ?? 0;
    // Straight from the normalised letterbox square to frame pixels.
    const toFrameX = (offset: number): number => (offset * UNIT + anchorX) * side - padX;
    const toFrameY = (offset: number): number => (offset * UNIT + anchorY) * side - padY;
    const width = (regressors[row + 2] ?? 0) * UNIT * side;
    const height = (regressors[row + 3] ?? 0) * UNIT * side;
    // MediaPipe drops inverted boxes; an empty one could not be cropped either.
    if (!(width > 0 && height > 0)) continue;
    const keypoints: PixelPoint[] = [];
    for (let k = 0; k < KEYPOINTS; k++) {
      keypoints.push({
        x: toFrameX(regressors[row + 4 + 2 * k] ?? 0),
        y: toFrameY(regressors[row + 5 + 2 * k] ?? 0),
      });
    }
    candidates.push({
      score,
      box: {
        x: toFrameX(regressors[row] ?? 0) - width / 2,
        y: toFrameY(regressors[row + 1] ?? 0) - height / 2,
        width,
        height,
      },
      keypoints,
    });
  }
  // IoU and weighted means are unchanged by the letterbox's uniform scale and shift, so NMS in
  // frame pixels equals MediaPipe's NMS before projection.
  const faces = weightedNonMaxSuppression(candidates, minSuppressionIou);
  return faces.length > maxFaces ? faces.slice(0, maxFaces) : faces;
}
