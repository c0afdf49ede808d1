import type { AffineTransform } from "../image/affine-transform.ts";
import type { PixelPoint, RgbaImage } from "../image/rgba-image.ts";
import { fitSimilarity } from "../image/similarity-transform.ts";
import { warpToTensor } from "../image/warp-to-tensor.ts";
import { FACE_MESH_LANDMARK_COUNT } from "./face-mesh-constants.ts";

/** Side of the aligned face chip the face-recognition model reads (`face-recognition-resnet29`). */
export const FACE_CHIP_SIZE = 150;

/**
 * Margin around dlib's mean face, as a fraction of its size on each side: dlib trained its
 * ResNet on `get_face_chip_details(shape, 150, 0.25)` (dlib's `dnn_face_recognition_ex.cpp`).
 */
export const FACE_CHIP_PADDING = 0.25;

/**
 * The five points dlib's `shape_predictor_5_face_landmarks` gives and where
 * `get_face_chip_details` puts them (dlib `image_transforms/interpolation.h`, its 5-point
 * branch: positions on the unit mean face, before padding), with the face-mesh landmark that
 * marks the same spot. "Image-left" is the viewer's left (the subject's right eye).
 * - dlib 0 / 1: image-right eye, outer / inner corner — mesh 263 / 362;
 * - dlib 2 / 3: image-left eye, outer / inner corner — mesh 33 / 133;
 * - dlib 4: base of the nose between the nostrils (the 68-point scheme's point 33, at the
 *   same mean-face height 0.628) — mesh 2, below the nose tip (mesh 1).
 */
export const FACE_CHIP_LANDMARKS: readonly {
  readonly mesh: number;
  readonly dlib: number;
  readonly template: PixelPoint;
}[] = [
  { mesh: 263, dlib: 0, template: { x: 0.8595674595992, y: 0.2134981538014 } },
  { mesh: 362, dlib: 1, template: { x: 0.6460604764104, y: 0.2289674387677 } },
  { mesh: 33, dlib: 2, template: { x: 0.1205750620789, y: 0.2137274526848 } },
  { mesh: 133, dlib: 3, template: { x: 0.3340850613712, y: 0.2290642403242 } },
  { mesh: 2, dlib: 4, template: { x: 0.4901123135679, y: 0.6277975316475 } },
];

// Template positions in chip pixels: dlib pads the unit face by FACE_CHIP_PADDING on each side
// and scales to the chip, in coordinates whose pixel centres are integers; +0.5 moves them to
// this code's convention (pixel i covers [i, i+1]), the one the mesh landmarks are in.
const CHIP_POINTS: readonly PixelPoint[] = FACE_CHIP_LANDMARKS.map(({ template }) => ({
  x: ((FACE_CHIP_PADDING + template.x) / (1 + 2 * FACE_CHIP_PADDING)) * FACE_CHIP_SIZE + 0.5,
  y: ((FACE_CHIP_PADDING + template.y) / (1 + 2 * FACE_CHIP_PADDING)) * FACE_CHIP_SIZE + 0.5,
}));

/**
 * The map from the 150×150 face chip's pixel coordinates to frame pixels: the least-squares
 * similarity transform ({@link fitSimilarity}) taking dlib's five template points to the
 * matching face-mesh landmarks ({@link FACE_CHIP_LANDMARKS}), as dlib's
 * `get_face_chip_details(shape, 150, 0.25)` does with its 5-point shape.
 *
 * @param points the face mesh's `x, y, z` triples in frame pixels (`FaceLandmarks.points`).
 * @throws {RangeError} for fewer than the mesh's 468 landmarks, non-finite eye or nose points,
 *   or a degenerate fit (all five points at one spot).
 * @example
 * ```ts
 * const chipToFrame = faceChipTransform(analysis.face.landmarks.points);
 * const leftEyeInFrame = applyAffine(chipToFrame, { x: 50, y: 55 });
 * ```
 */
export function faceChipTransform(points: Float32Array): AffineTransform {
  if (points.length < FACE_MESH_LANDMARK_COUNT * 3) {
    throw new RangeError(
      `A face chip needs the ${FACE_MESH_LANDMARK_COUNT} mesh landmarks, got ${Math.floor(points.length / 3)}`,
    );
  }
  const frame = FACE_CHIP_LANDMARKS.map(({ mesh }) => ({
    x: points[mesh * 3] ?? Number.NaN,
    y: points[mesh * 3 + 1] ?? Number.NaN,
  }));
  return fitSimilarity(CHIP_POINTS, frame);
}

/**
 * The face-recognition model's input for one face: the dlib-style 150×150 aligned chip
 * ({@link faceChipTransform}), sampled bilinearly, as NCHW float32 `[1, 3, 150, 150]` RGB with
 * raw 0..255 values (the model normalises inside its graph). Parts of the chip outside the
 * frame are black, as dlib's `extract_image_chip` leaves them in the chips it trained on.
 *
 * @throws {LumenError} `IMAGE_INVALID` for a malformed image.
 * @throws {RangeError} for bad landmarks (see {@link faceChipTransform}).
 * @example
 * ```ts
 * const input = faceChipInput(frame, analysis.face.landmarks.points);
 * await session.run({ input: new Tensor("float32", input, [1, 3, 150, 150]) });
 * ```
 */
export function faceChipInput(image: RgbaImage, points: Float32Array): Float32Array {
  return warpToTensor(image, faceChipTransform(points), {
    size: FACE_CHIP_SIZE,
    scale: 1,
    border: "zero",
  });
}
