/**
 * A head turn to synthesize, in the conventions of `estimateHeadPose` in `@lumen/core`: the
 * person's own directions on an unmirrored frame. Pure data.
 */
export interface FaceTurn {
  /** Positive turns the face to the person's own left (the nose towards larger image x). */
  readonly yawDegrees: number;
  /** Positive tilts the face up (the nose towards smaller image y, the chin forwards). */
  readonly pitchDegrees: number;
}

/** The largest turn {@link rotateFacePoints} accepts on either axis, in degrees. */
const MAX_TURN_DEGREES = 60;

/**
 * How far behind the points' centroid the head turns about, as a share of the face's width in
 * the frame: the neck's axis sits behind the face, so the nose swings more than the cheeks.
 */
const PIVOT_DEPTH_PER_FACE_WIDTH = 0.25;

const RADIANS = Math.PI / 180;

/**
 * Rotates face landmarks in 3D: `points` holds `x, y, z` triples in frame pixels (`z` in the
 * same pixel scale, smaller is nearer the camera, as MediaPipe's face mesh gives them), turned
 * by `turn` (yaw about the image's vertical axis, then pitch about its horizontal one) about a
 * pivot a quarter of the face's width behind the points' centroid. The result is in the same
 * layout; its `x, y` are the orthographic projection onto the frame.
 *
 * @example
 * ```ts
 * const turned = rotateFacePoints(face.points, { yawDegrees: 25, pitchDegrees: 0 });
 * ```
 */
export function rotateFacePoints(points: Float32Array, turn: FaceTurn): Float32Array {
  const count = points.length / 3;
  if (!Number.isInteger(count) || count < 3) {
    throw new RangeError(
      `Face points must be x, y, z triples of 3 or more points, got ${points.length} numbers`,
    );
  }
  for (const [name, degrees] of [
    ["yawDegrees", turn.yawDegrees],
    ["pitchDegrees", turn.pitchDegrees],
  ] as const) {
    if (!Number.isFinite(degrees) || Math.abs(degrees) > MAX_TURN_DEGREES) {
      throw new RangeError(`${name} must be within ±${MAX_TURN_DEGREES}°, got ${degrees}`);
    }
  }
  let sumX = 0;
  let sumY = 0;
  let sumZ = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = points[3 * i] ?? Number.NaN;
    const y = points[3 * i + 1] ?? Number.NaN;
    const z = points[3 * i + 2] ?? Number.NaN;
    if (!Number.isFinite(x + y + z)) throw new RangeError(`Face point ${i} is not finite`);
    sumX += x;
    sumY += y;
    sumZ += z;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
  }
  const pivotX = sumX / count;
  const pivotY = sumY / count;
  const pivotZ = sumZ / count + PIVOT_DEPTH_PER_FACE_WIDTH * (maxX - minX);
  // Yaw: the nose (in front of the pivot, z < 0) moves to +x for a positive turn. Pitch: the
  // nose moves to -y (up) and the chin (below the pivot, y > 0) comes nearer for a positive one.
  const cosYaw = Math.cos(turn.yawDegrees * RADIANS);
  const sinYaw = Math.sin(turn.yawDegrees * RADIANS);
  const cosPitch = Math.cos(turn.pitchDegrees * RADIANS);
  const sinPitch = Math.sin(turn.pitchDegrees * RADIANS);
  const turned = new Float32Array(points.length);
  for (let i = 0; i < count; i++) {
    const x = (points[3 * i] ?? 0) - pivotX;
    const y = (points[3 * i + 1] ?? 0) - pivotY;
    const z = (points[3 * i + 2] ?? 0) - pivotZ;
    const x1 = x * cosYaw - z * sinYaw;
    const z1 = x * sinYaw + z * cosYaw;
    turned[3 * i] = pivotX + x1;
    turned[3 * i + 1] = pivotY + y * cosPitch + z1 * sinPitch;
    turned[3 * i + 2] = pivotZ - y * sinPitch + z1 * cosPitch;
  }
  return turned;
}
