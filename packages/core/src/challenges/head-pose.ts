/** Head orientation in degrees, in the conventions of {@link estimateHeadPose}. Pure data. */
export interface HeadPose {
  /** Positive when the person turns to their own left (nose towards larger image x). */
  readonly yawDegrees: number;
  /** Positive when the person looks up (nose towards smaller image y). */
  readonly pitchDegrees: number;
  /** Positive when the head tilts so the eye line runs down to the image right. */
  readonly rollDegrees: number;
}

// Face-mesh indices (MediaPipe canonical topology). Outer eye corners and the face contour at
// the cheekbones give the left-right axis; forehead centre and chin the up-down axis. These
// points sit on bone, so expressions (smiling, talking) barely move them.
const RIGHT_EYE_OUTER = 33;
const LEFT_EYE_OUTER = 263;
const RIGHT_CHEEK = 234;
const LEFT_CHEEK = 454;
const FOREHEAD = 10;
const CHIN = 152;
const NOSE_BRIDGE = 168;

const DEG = 180 / Math.PI;

function at(points: Float32Array, index: number, axis: 0 | 1 | 2): number {
  return points[index * 3 + axis] ?? Number.NaN;
}

/**
 * Head pose from the 468 face-mesh landmarks, without PnP or a camera model.
 *
 * Method: the mesh regresses a 3D shape whose `z` is in the same pixel units as `x` and `y`, so
 * two face axes can be read straight off it: the left-right axis (outer eye corners 33 → 263
 * plus cheek contour 234 → 454, summed for stability) and the up-down axis (forehead 10 → chin
 * 152, plus nose bridge 168 → chin). Yaw is the angle of the left-right axis out of the image
 * plane (`atan2(dz, dx)`), pitch that of the up-down axis (`atan2(-dz, |dxy|)`), roll the
 * in-plane angle of the left-right axis. Frames are unmirrored camera frames, so a person
 * turning to their own left moves the nose towards larger `x`.
 *
 * Absolute pitch carries an offset (the forehead slopes back from the chin), and both angles
 * are compressed by the mesh's shallow depth; callers compare against a frontal baseline of the
 * same session rather than against absolute angles. Measured on the genuine videos in
 * `shared/media/genuine/` (see `head-pose.test.ts`).
 *
 * @example
 * ```ts
 * const { yawDegrees } = estimateHeadPose(analysis.face.landmarks.points);
 * ```
 */
export function estimateHeadPose(points: Float32Array): HeadPose {
  if (points.length < 468 * 3) {
    throw new RangeError(`Head pose needs the 468 mesh landmarks, got ${points.length / 3}`);
  }
  const lx =
    at(points, LEFT_EYE_OUTER, 0) -
    at(points, RIGHT_EYE_OUTER, 0) +
    at(points, LEFT_CHEEK, 0) -
    at(points, RIGHT_CHEEK, 0);
  const ly =
    at(points, LEFT_EYE_OUTER, 1) -
    at(points, RIGHT_EYE_OUTER, 1) +
    at(points, LEFT_CHEEK, 1) -
    at(points, RIGHT_CHEEK, 1);
  const lz =
    at(points, LEFT_EYE_OUTER, 2) -
    at(points, RIGHT_EYE_OUTER, 2) +
    at(points, LEFT_CHEEK, 2) -
    at(points, RIGHT_CHEEK, 2);
  const dx =
    at(points, CHIN, 0) -
    at(points, FOREHEAD, 0) +
    at(points, CHIN, 0) -
    at(points, NOSE_BRIDGE, 0);
  const dy =
    at(points, CHIN, 1) -
    at(points, FOREHEAD, 1) +
    at(points, CHIN, 1) -
    at(points, NOSE_BRIDGE, 1);
  const dz =
    at(points, CHIN, 2) -
    at(points, FOREHEAD, 2) +
    at(points, CHIN, 2) -
    at(points, NOSE_BRIDGE, 2);
  const inPlane = Math.hypot(lx, ly);
  const yawDegrees = Math.atan2(lz, inPlane) * DEG;
  const pitchDegrees = Math.atan2(-dz, Math.hypot(dx, dy)) * DEG;
  const rollDegrees = Math.atan2(ly, lx) * DEG;
  if (!Number.isFinite(yawDegrees + pitchDegrees + rollDegrees)) {
    throw new RangeError("Landmarks are not finite");
  }
  return { yawDegrees, pitchDegrees, rollDegrees };
}
