import type { AffineTransform } from "./affine-transform.ts";
import type { PixelPoint } from "./rgba-image.ts";

/**
 * The similarity transform (rotation, uniform scale, translation; no shear, no reflection)
 * that maps `from` onto `to` with the least squared error: Umeyama's closed form (IEEE TPAMI
 * 13(4), 1991) in 2-D, as dlib's `find_similarity_transform` computes it. In 2-D the rotation
 * and scale are one complex number `s·e^{iθ} = a + ib`, so the fit is two sums over the
 * centred points and a reflection can never be chosen.
 *
 * @throws {RangeError} for fewer than two pairs, lists of different lengths, a non-finite
 *   coordinate, `from` points that all coincide (no direction to fit), or `to` points that all
 *   coincide or do not correspond under any rotation (the fit would collapse everything to one
 *   point, a singular transform).
 * @example
 * ```ts
 * // A chip-to-frame map from template positions to detected landmarks, for warpToTensor.
 * const chipToFrame = fitSimilarity(templatePoints, landmarkPoints);
 * ```
 */
export function fitSimilarity(
  from: readonly PixelPoint[],
  to: readonly PixelPoint[],
): AffineTransform {
  const n = from.length;
  if (n !== to.length) {
    throw new RangeError(`A similarity fit needs paired points, got ${n} and ${to.length}`);
  }
  if (n < 2) throw new RangeError(`A similarity fit needs at least 2 point pairs, got ${n}`);
  let fromX = 0;
  let fromY = 0;
  let toX = 0;
  let toY = 0;
  for (let i = 0; i < n; i++) {
    const p = from[i];
    const q = to[i];
    if (!(p && q && Number.isFinite(p.x + p.y + q.x + q.y))) {
      throw new RangeError(`Point pair ${i} of the similarity fit is not finite`);
    }
    fromX += p.x;
    fromY += p.y;
    toX += q.x;
    toY += q.y;
  }
  fromX /= n;
  fromY /= n;
  toX /= n;
  toY /= n;
  let fromSpread = 0;
  let toSpread = 0;
  let dot = 0;
  let cross = 0;
  for (let i = 0; i < n; i++) {
    const px = (from[i]?.x ?? 0) - fromX;
    const py = (from[i]?.y ?? 0) - fromY;
    const qx = (to[i]?.x ?? 0) - toX;
    const qy = (to[i]?.y ?? 0) - toY;
    fromSpread += px * px + py * py;
    toSpread += qx * qx + qy * qy;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
  }
  // Relative to the points' own magnitude, so a tiny but genuine face still fits.
  const tolerance = (magnitude: number) => 1e-12 * Math.max(1, magnitude);
  if (fromSpread <= tolerance(fromX * fromX + fromY * fromY)) {
    throw new RangeError("The similarity fit is degenerate: the source points coincide");
  }
  if (toSpread <= tolerance(toX * toX + toY * toY)) {
    throw new RangeError("The similarity fit is degenerate: the target points coincide");
  }
  const a = dot / fromSpread;
  const b = cross / fromSpread;
  // No rotation lines the two sets up at all (e.g. one is the other's mirror image of a
  // symmetric set): the best fit is scale 0, which no sampler can invert.
  if (Math.hypot(a, b) <= 1e-9 * Math.sqrt(toSpread / fromSpread)) {
    throw new RangeError("The similarity fit is degenerate: the point sets do not correspond");
  }
  return { a, b, c: -b, d: a, e: toX - (a * fromX - b * fromY), f: toY - (b * fromX + a * fromY) };
}
