import type { PixelRect } from "../image/rgba-image.ts";

/**
 * The pixel bounding box of flat `x, y, z` landmark triples (as in `FaceLandmarks.points`).
 *
 * @example
 * ```ts
 * const box = landmarksBox(mesh.points);
 * ```
 */
export function landmarksBox(points: Float32Array): PixelRect {
  if (points.length < 3 || points.length % 3 !== 0) {
    throw new RangeError(`Landmarks come as x, y, z triples, got ${points.length} numbers`);
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i] ?? Number.NaN;
    const y = points[i + 1] ?? Number.NaN;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minX + minY + maxX + maxY)) throw new RangeError("Landmarks are not finite");
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}
