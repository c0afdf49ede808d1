// Landmark pairs on bone or cartilage (eye corners, nose bridge, nostrils, cheekbones), so
// talking and smiling barely move them; the chin and lips are left out because the jaw moves.
const PAIRS = [
  [133, 362], // inner eye corners
  [33, 133], // right eye width
  [362, 263], // left eye width
  [168, 1], // nose bridge to tip
  [168, 2], // nose bridge to base
  [98, 327], // nostril width
  [234, 454], // face width at the cheekbones
  [6, 168], // upper nose bridge
  [1, 2], // nose tip to base
] as const;
const REFERENCE = [33, 263] as const; // outer eye corners

/** How many numbers {@link faceSignature} writes. */
export const FACE_SIGNATURE_LENGTH = PAIRS.length;

function distance3(points: Float32Array, a: number, b: number): number {
  return Math.hypot(
    (points[a * 3] ?? Number.NaN) - (points[b * 3] ?? Number.NaN),
    (points[a * 3 + 1] ?? Number.NaN) - (points[b * 3 + 1] ?? Number.NaN),
    (points[a * 3 + 2] ?? Number.NaN) - (points[b * 3 + 2] ?? Number.NaN),
  );
}

/**
 * A pose-normalised landmark-geometry signature of a face: the natural log of 3D distances
 * between stable landmark pairs over the outer-eye-corner distance. Because the mesh is 3D,
 * rotating the head leaves the ratios nearly unchanged, while a different face shape changes
 * them. Heuristic: it is not a face-recognition embedding and two similar faces can share a
 * signature (see `evaluateFaceConsistency` for the measured separation).
 *
 * Writes into `out` (length {@link FACE_SIGNATURE_LENGTH}) so the per-frame path can reuse a
 * buffer; returns `out`.
 *
 * @example
 * ```ts
 * const signature = faceSignature(face.landmarks.points, new Float32Array(FACE_SIGNATURE_LENGTH));
 * ```
 */
export function faceSignature(
  points: Float32Array,
  out: Float32Array = new Float32Array(FACE_SIGNATURE_LENGTH),
): Float32Array {
  const reference = distance3(points, REFERENCE[0], REFERENCE[1]);
  for (let i = 0; i < PAIRS.length; i++) {
    const pair = PAIRS[i];
    out[i] = pair ? Math.log(distance3(points, pair[0], pair[1]) / reference) : Number.NaN;
  }
  return out;
}
