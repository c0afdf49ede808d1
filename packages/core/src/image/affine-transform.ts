import type { PixelPoint } from "./rgba-image.ts";

/**
 * A 2-D affine map in the `DOMMatrix` / canvas `setTransform(a, b, c, d, e, f)` layout:
 * `x' = a·x + c·y + e`, `y' = b·x + d·y + f`. The same numbers can be handed to a canvas to
 * draw what a model saw.
 */
export interface AffineTransform {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

/**
 * Maps one point through an affine transform.
 *
 * @example
 * ```ts
 * applyAffine({ a: 2, b: 0, c: 0, d: 2, e: 10, f: 0 }, { x: 1, y: 1 }); // { x: 12, y: 2 }
 * ```
 */
export function applyAffine(t: AffineTransform, point: PixelPoint): PixelPoint {
  return { x: t.a * point.x + t.c * point.y + t.e, y: t.b * point.x + t.d * point.y + t.f };
}

/**
 * The inverse of an affine transform, e.g. to map a frame point into a model's crop.
 *
 * @throws {RangeError} if the transform is singular or not finite.
 * @example
 * ```ts
 * const frameToCrop = invertAffine(rotatedRectTransform(roi, 192));
 * ```
 */
export function invertAffine(t: AffineTransform): AffineTransform {
  const det = t.a * t.d - t.b * t.c;
  if (!(Number.isFinite(det) && det !== 0 && Number.isFinite(t.e + t.f))) {
    throw new RangeError("The affine transform is singular or not finite");
  }
  const a = t.d / det;
  const b = -t.b / det;
  const c = -t.c / det;
  const d = t.a / det;
  return { a, b, c, d, e: -(a * t.e + c * t.f), f: -(b * t.e + d * t.f) };
}
