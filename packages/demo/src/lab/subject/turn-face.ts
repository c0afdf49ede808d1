// A tool of the attack lab: a simple face reenactment. It turns the head of a real face frame
// in 3D by warping the picture along the face mesh, which is exactly what an adaptive attacker
// facing a "turn your head" challenge does with a photo or a video that never turned. A server
// that accepts these frames as a turn is being told the truth about the limits of its check.
import { delaunay, doubleSignedArea } from "./delaunay.ts";
import { rotateFacePoints, type FaceTurn } from "./rotate-face-points.ts";

export type { FaceTurn } from "./rotate-face-points.ts";

/** Fixed points on an ellipse around the face: what lies outside it never moves. */
const ANCHOR_COUNT = 24;
/** The anchor ellipse's half-axes, as multiples of the landmarks' half-width and half-height. */
const ANCHOR_RING_SCALE = 1.6;
/** How far each destination triangle is grown for its clip, against hairline seams. */
const DILATE_PX = 0.5;
/** Twice the area (pixels²) below which a turned triangle covers nothing worth drawing. */
const MIN_DOUBLE_AREA = 1e-3;
/** The largest frame side accepted (pixels). */
const MAX_FRAME_SIDE = 8192;
/** The most landmarks accepted (MediaPipe's face landmarker has 478). */
const MAX_POINTS = 1024;

/** Draws frames with the face turned; see {@link createFaceTurner}. */
export interface FaceTurner {
  /**
   * Draws `image` (`width` × `height` frame pixels) at the canvas origin with the face whose
   * landmarks are `points` turned by `turn`. Ignores and keeps the context's own transform.
   */
  draw(
    context: CanvasRenderingContext2D,
    image: CanvasImageSource,
    width: number,
    height: number,
    points: Float32Array,
    turn: FaceTurn,
  ): void;
}

/** The landmarks' `x, y`, then the anchors' (ring, then frame corners). */
function sourcePositions(points: Float32Array, width: number, height: number): Float64Array {
  const count = points.length / 3;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const xy = new Float64Array(2 * (count + ANCHOR_COUNT + 4));
  for (let i = 0; i < count; i++) {
    const x = points[3 * i] ?? 0;
    const y = points[3 * i + 1] ?? 0;
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const centreX = (minX + maxX) / 2;
  const centreY = (minY + maxY) / 2;
  const radiusX = ((maxX - minX) / 2) * ANCHOR_RING_SCALE;
  const radiusY = ((maxY - minY) / 2) * ANCHOR_RING_SCALE;
  for (let k = 0; k < ANCHOR_COUNT; k++) {
    const angle = (2 * Math.PI * k) / ANCHOR_COUNT;
    xy[2 * (count + k)] = Math.min(width, Math.max(0, centreX + radiusX * Math.cos(angle)));
    xy[2 * (count + k) + 1] = Math.min(height, Math.max(0, centreY + radiusY * Math.sin(angle)));
  }
  xy.set([0, 0, width, 0, width, height, 0, height], 2 * (count + ANCHOR_COUNT));
  return xy;
}

/** Whether every triangle of `triangles` still has a positive area on `xy`. */
function fits(triangles: Uint32Array, xy: Float64Array): boolean {
  for (let t = 0; t < triangles.length; t += 3) {
    const area = doubleSignedArea(
      xy,
      triangles[t] ?? 0,
      triangles[t + 1] ?? 0,
      triangles[t + 2] ?? 0,
    );
    if (!(area > 0)) return false;
  }
  return triangles.length > 0;
}

function validate(width: number, height: number, points: Float32Array): void {
  for (const [name, side] of [
    ["width", width],
    ["height", height],
  ] as const) {
    if (!Number.isInteger(side) || side < 1 || side > MAX_FRAME_SIDE) {
      throw new RangeError(`Frame ${name} must be an integer in 1..${MAX_FRAME_SIDE}, got ${side}`);
    }
  }
  const count = points.length / 3;
  if (!Number.isInteger(count) || count < 3) {
    throw new RangeError(
      `Face points must be x, y, z triples of 3 or more points, got ${points.length} numbers`,
    );
  }
  if (count > MAX_POINTS) throw new RangeError(`At most ${MAX_POINTS} face points, got ${count}`);
  const bad = points.findIndex((value) => !Number.isFinite(value));
  if (bad >= 0) throw new RangeError(`Face point ${Math.floor(bad / 3)} is not finite`);
}

/**
 * For each landmark on the face's outline (sharing a triangle with an anchor), the landmarks
 * it shares a triangle with; empty for the others.
 */
function outlineNeighbours(triangles: Uint32Array, count: number): number[][] {
  const neighbours: number[][] = Array.from({ length: count }, () => []);
  const outline = new Set<number>();
  for (let t = 0; t < triangles.length; t += 3) {
    const corners = [triangles[t] ?? 0, triangles[t + 1] ?? 0, triangles[t + 2] ?? 0];
    const landmarks = corners.filter((index) => index < count);
    if (landmarks.length < 3) for (const index of landmarks) outline.add(index);
    for (const index of landmarks) neighbours[index]?.push(...landmarks);
  }
  return neighbours.map((list, index) => (outline.has(index) ? [...new Set(list)] : []));
}

/**
 * The points with each outline landmark pushed back to its deepest neighbour. The outline in the
 * frame is the silhouette, where a real head is deepest; the mesh puts some of its outline
 * points (jaw, cheek) far nearer than the face-oval points just inside them, so turned as they
 * are, the oval would swing out past them and tear the outline into a sawtooth.
 */
function silhouetteDepths(points: Float32Array, neighbours: readonly number[][]): Float32Array {
  const adjusted = points.slice();
  neighbours.forEach((list, index) => {
    for (const other of list) {
      adjusted[3 * index + 2] = Math.max(adjusted[3 * index + 2] ?? 0, points[3 * other + 2] ?? 0);
    }
  });
  return adjusted;
}

/**
 * Creates a face turner: a 3D face-mesh warp. Each frame's landmarks are rotated about the
 * head's centre ({@link rotateFacePoints}), projected orthographically, and each triangle of a
 * Delaunay triangulation (the landmarks plus a fixed ring of anchors around the face and the
 * frame's corners) is texture-mapped from where it is in the frame to where it turns to: the
 * face turns, the band between it and the anchors stretches, the background stays put.
 *
 * The face's outline (the landmarks next to an anchor) turns at the depth of its deepest
 * neighbour, as a silhouette does, so the outline stays smooth. The untouched frame is drawn
 * first and the triangles over it, the band and then the face far to near (painter's order by
 * turned depth), each clipped to its destination grown by half a pixel, so seams show the
 * original picture rather than holes and what turns away is covered by what turns towards the
 * camera. The triangulation is computed on the first frame and reused while it still fits a
 * frame's points (every triangle keeps its orientation; the landmark order is the mesh's).
 *
 * Limits: orthographic; no occlusion beyond painter's order; no new texture where a turn
 * reveals what the frame never showed (the near cheek's edge and the hair beside it stretch
 * into a smear); the band folds when a turn pushes the face past the anchors (a face filling
 * the frame); the background inside the anchor ring bends with the face.
 *
 * @example
 * ```ts
 * const turner = createFaceTurner();
 * turner.draw(context, bitmap, bitmap.width, bitmap.height, face.points, {
 *   yawDegrees: 25,
 *   pitchDegrees: 0,
 * });
 * ```
 */
export function createFaceTurner(): FaceTurner {
  let triangles: Uint32Array = new Uint32Array(0);
  let triangulatedCount = 0;
  let neighbours: number[][] = [];
  return {
    draw(context, image, width, height, points, turn) {
      validate(width, height, points);
      const count = points.length / 3;
      const source = sourcePositions(points, width, height);
      if (count !== triangulatedCount || !fits(triangles, source)) {
        triangles = delaunay(source);
        triangulatedCount = count;
        neighbours = outlineNeighbours(triangles, count);
      }
      const turned = rotateFacePoints(silhouetteDepths(points, neighbours), turn);
      const target = source.slice();
      for (let i = 0; i < count; i++) {
        target[2 * i] = turned[3 * i] ?? 0;
        target[2 * i + 1] = turned[3 * i + 1] ?? 0;
      }
      // The band (triangles with an anchor) under the face; triangles of anchors only map onto
      // themselves and are left to the untouched frame.
      const band: number[] = [];
      const face: { readonly index: number; readonly depth: number }[] = [];
      for (let t = 0; t < triangles.length; t += 3) {
        const a = triangles[t] ?? 0;
        const b = triangles[t + 1] ?? 0;
        const c = triangles[t + 2] ?? 0;
        const anchors = Number(a >= count) + Number(b >= count) + Number(c >= count);
        if (anchors === 3) continue;
        if (anchors > 0) band.push(t);
        else {
          const depth =
            (turned[3 * a + 2] ?? 0) + (turned[3 * b + 2] ?? 0) + (turned[3 * c + 2] ?? 0);
          face.push({ index: t, depth });
        }
      }
      face.sort((p, q) => q.depth - p.depth);
      context.save();
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.drawImage(image, 0, 0, width, height);
      for (const t of [...band, ...face.map(({ index }) => index)]) {
        drawTriangle(context, image, width, height, source, target, triangles, t);
      }
      context.restore();
    },
  };
}

/** Texture-maps triangle `t` from `source` to `target`. */
function drawTriangle(
  context: CanvasRenderingContext2D,
  image: CanvasImageSource,
  width: number,
  height: number,
  source: Float64Array,
  target: Float64Array,
  triangles: Uint32Array,
  t: number,
): void {
  const i0 = triangles[t] ?? 0;
  const i1 = triangles[t + 1] ?? 0;
  const i2 = triangles[t + 2] ?? 0;
  if (Math.abs(doubleSignedArea(target, i0, i1, i2)) < MIN_DOUBLE_AREA) return;
  const x0 = source[2 * i0] ?? 0;
  const y0 = source[2 * i0 + 1] ?? 0;
  const dx1 = (source[2 * i1] ?? 0) - x0;
  const dy1 = (source[2 * i1 + 1] ?? 0) - y0;
  const dx2 = (source[2 * i2] ?? 0) - x0;
  const dy2 = (source[2 * i2 + 1] ?? 0) - y0;
  const u0 = target[2 * i0] ?? 0;
  const v0 = target[2 * i0 + 1] ?? 0;
  const u1 = target[2 * i1] ?? 0;
  const v1 = target[2 * i1 + 1] ?? 0;
  const u2 = target[2 * i2] ?? 0;
  const v2 = target[2 * i2 + 1] ?? 0;
  const du1 = u1 - u0;
  const dv1 = v1 - v0;
  const du2 = u2 - u0;
  const dv2 = v2 - v0;
  // The affine map x ↦ (a x + c y + e, b x + d y + f) taking the source triangle onto the
  // target one; the source's determinant is positive (the triangulation is fresh or fits).
  const det = dx1 * dy2 - dx2 * dy1;
  const a = (du1 * dy2 - du2 * dy1) / det;
  const c = (du2 * dx1 - du1 * dx2) / det;
  const b = (dv1 * dy2 - dv2 * dy1) / det;
  const d = (dv2 * dx1 - dv1 * dx2) / det;
  const e = u0 - a * x0 - c * y0;
  const f = v0 - b * x0 - d * y0;
  const centreX = (u0 + u1 + u2) / 3;
  const centreY = (v0 + v1 + v2) / 3;
  context.save();
  context.beginPath();
  for (const [u, v] of [
    [u0, v0],
    [u1, v1],
    [u2, v2],
  ] as const) {
    const length = Math.hypot(u - centreX, v - centreY) || 1;
    context.lineTo(
      u + ((u - centreX) / length) * DILATE_PX,
      v + ((v - centreY) / length) * DILATE_PX,
    );
  }
  context.closePath();
  context.clip();
  context.setTransform(a, b, c, d, e, f);
  context.drawImage(image, 0, 0, width, height);
  context.restore();
}
