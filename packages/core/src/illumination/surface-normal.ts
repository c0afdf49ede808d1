import type { Vec3 } from "./screen-light.ts";

/**
 * The outward normal of a patch of the face mesh: the least-squares plane `z = a·x + b·y + c`
 * through the landmarks' 3D points (frame pixels, `z` in the same units, smaller nearer), turned
 * towards the camera: `(a, b, −1)` normalised. Fitting depth as a function of image position
 * suits a patch the camera can see, which is the only kind whose light it measures. A cheek
 * receding to the image's right (the person's left cheek on a frontal face) has `a > 0`, so its
 * normal points to image `+x`.
 *
 * Returns `null` when the landmarks are not finite or span no area in the image.
 *
 * @example
 * ```ts
 * const n = surfaceNormal(points, FACE_REGION_LANDMARKS.leftCheek); // n.x > 0 on a frontal face
 * ```
 */
export function surfaceNormal(points: Float32Array, indices: readonly number[]): Vec3 | null {
  const count = indices.length;
  let mx = 0;
  let my = 0;
  let mz = 0;
  for (const i of indices) {
    mx += points[i * 3] ?? Number.NaN;
    my += points[i * 3 + 1] ?? Number.NaN;
    mz += points[i * 3 + 2] ?? Number.NaN;
  }
  mx /= count;
  my /= count;
  mz /= count;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  let sxz = 0;
  let syz = 0;
  for (const i of indices) {
    const x = (points[i * 3] ?? Number.NaN) - mx;
    const y = (points[i * 3 + 1] ?? Number.NaN) - my;
    const z = (points[i * 3 + 2] ?? Number.NaN) - mz;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
    sxz += x * z;
    syz += y * z;
  }
  const det = sxx * syy - sxy * sxy;
  // Collinear landmarks (or a point) leave the plane's tilt across them undetermined.
  if (!(det > 1e-6 * (sxx + syy) ** 2)) return null;
  const a = (sxz * syy - syz * sxy) / det;
  const b = (syz * sxx - sxz * sxy) / det;
  const norm = Math.hypot(a, b, 1);
  if (!Number.isFinite(norm)) return null;
  return { x: a / norm, y: b / norm, z: -1 / norm };
}
