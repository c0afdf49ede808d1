import type { AffineTransform } from "./affine-transform.ts";

/**
 * A rectangle in frame pixels turned about its centre, as MediaPipe's `NormalizedRect` but in
 * pixels. `rotation` is in radians, positive turning the rectangle's x axis towards the
 * frame's y axis (clockwise on screen, since y points down).
 */
export interface RotatedRect {
  readonly xCenter: number;
  readonly yCenter: number;
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
}

/**
 * The affine map from a `size`×`size` crop's pixel coordinates to frame pixel coordinates, for
 * a crop that shows `rect` upright: the crop's (0, 0) corner is the rect's rotated top-left
 * corner. Sampling uses it forwards; model outputs in crop pixels go through it back to the
 * frame, so sampling and projection can never disagree.
 *
 * @throws {RangeError} if the rect is empty or not finite, or `size` is not a positive integer.
 * @example
 * ```ts
 * const cropToFrame = rotatedRectTransform(roi, 192);
 * const input = warpToTensor(frame, cropToFrame, { size: 192, scale: 1 / 255 });
 * ```
 */
export function rotatedRectTransform(rect: RotatedRect, size: number): AffineTransform {
  const { xCenter, yCenter, width, height, rotation } = rect;
  if (!(
    width > 0 &&
    height > 0 &&
    Number.isFinite(xCenter + yCenter + width + height + rotation)
  )) {
    throw new RangeError("A rotated rect needs a finite centre, rotation and positive size");
  }
  if (!(Number.isInteger(size) && size > 0))
    throw new RangeError("size must be a positive integer");
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const a = (cos * width) / size;
  const b = (sin * width) / size;
  const c = (-sin * height) / size;
  const d = (cos * height) / size;
  // The crop's centre (size/2, size/2) lands on the rect's centre.
  const half = size / 2;
  return { a, b, c, d, e: xCenter - (a + c) * half, f: yCenter - (b + d) * half };
}
