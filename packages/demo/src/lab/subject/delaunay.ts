// Bowyer–Watson: insert the points one at a time into a triangulation that starts as one
// triangle enclosing them all; each insertion removes the triangles whose circumcircle holds the
// new point and fans the hole's boundary to it. O(n²) for n points, which is a few milliseconds
// for a face mesh and its anchors (~500 points), computed once and reused by the caller.

/** Points closer than this (squared pixels) count as one; the later one gets no triangle. */
const DUPLICATE_DISTANCE_SQUARED = 1e-4;
/** Twice the area (pixels²) below which a triangle is dropped as degenerate. */
const MIN_DOUBLE_AREA = 1e-6;

interface Triangle {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly centreX: number;
  readonly centreY: number;
  readonly radiusSquared: number;
}

function triangle(xy: Float64Array, a: number, b: number, c: number): Triangle {
  const ax = xy[2 * a] ?? 0;
  const ay = xy[2 * a + 1] ?? 0;
  const bx = (xy[2 * b] ?? 0) - ax;
  const by = (xy[2 * b + 1] ?? 0) - ay;
  const cx = (xy[2 * c] ?? 0) - ax;
  const cy = (xy[2 * c + 1] ?? 0) - ay;
  const d = 2 * (bx * cy - by * cx);
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  const ux = (cy * b2 - by * c2) / d;
  const uy = (bx * c2 - cx * b2) / d;
  return { a, b, c, centreX: ax + ux, centreY: ay + uy, radiusSquared: ux * ux + uy * uy };
}

/** Twice the signed area of triangle `a b c` of `xy` (positive when `b` is counter-clockwise). */
export function doubleSignedArea(xy: ArrayLike<number>, a: number, b: number, c: number): number {
  const ax = xy[2 * a] ?? 0;
  const ay = xy[2 * a + 1] ?? 0;
  return (
    ((xy[2 * b] ?? 0) - ax) * ((xy[2 * c + 1] ?? 0) - ay) -
    ((xy[2 * b + 1] ?? 0) - ay) * ((xy[2 * c] ?? 0) - ax)
  );
}

/**
 * Delaunay triangulation of 2D points (Bowyer–Watson).
 *
 * `xy` holds `x, y` pairs. Returns index triples, every triangle with a positive
 * {@link doubleSignedArea}. Coincident points (closer than 0.01 px) are triangulated once;
 * degenerate (collinear) triangles are dropped.
 *
 * @example
 * ```ts
 * const triangles = delaunay(new Float64Array([0, 0, 10, 0, 0, 10, 10, 10])); // two triangles
 * ```
 */
export function delaunay(xy: ArrayLike<number>): Uint32Array {
  const count = Math.floor(xy.length / 2);
  if (xy.length !== count * 2)
    throw new RangeError(`x, y pairs expected, got ${xy.length} numbers`);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i++) {
    const value = xy[i] ?? Number.NaN;
    if (!Number.isFinite(value)) throw new RangeError(`Point ${Math.floor(i / 2)} is not finite`);
    if (i % 2 === 0) {
      minX = Math.min(minX, value);
      maxX = Math.max(maxX, value);
    } else {
      minY = Math.min(minY, value);
      maxY = Math.max(maxY, value);
    }
  }
  if (count < 3) return new Uint32Array(0);
  // The points, then a super-triangle (counter-clockwise) far enough that its vertices never
  // fall inside a circumcircle of the real points' triangles.
  const all = new Float64Array(2 * count + 6);
  all.set(Array.from({ length: 2 * count }, (_, i) => xy[i] ?? 0));
  const span = Math.max(maxX - minX, maxY - minY, 1) * 64;
  const midX = (minX + maxX) / 2;
  const midY = (minY + maxY) / 2;
  all.set(
    [midX - 2 * span, midY - span, midX + 2 * span, midY - span, midX, midY + 2 * span],
    2 * count,
  );
  let triangles: Triangle[] = [triangle(all, count, count + 1, count + 2)];
  const inserted: number[] = [];
  for (let p = 0; p < count; p++) {
    const px = all[2 * p] ?? 0;
    const py = all[2 * p + 1] ?? 0;
    const duplicate = inserted.some(
      (q) =>
        ((all[2 * q] ?? 0) - px) ** 2 + ((all[2 * q + 1] ?? 0) - py) ** 2 <
        DUPLICATE_DISTANCE_SQUARED,
    );
    if (duplicate) continue;
    inserted.push(p);
    const kept: Triangle[] = [];
    // Boundary edges of the cavity, in their triangle's (counter-clockwise) direction; an edge
    // shared by two removed triangles is inside the cavity and cancels out.
    const edges = new Map<number, readonly [number, number]>();
    const stride = count + 3;
    for (const t of triangles) {
      if ((px - t.centreX) ** 2 + (py - t.centreY) ** 2 < t.radiusSquared) {
        for (const [u, v] of [
          [t.a, t.b],
          [t.b, t.c],
          [t.c, t.a],
        ] as const) {
          const key = Math.min(u, v) * stride + Math.max(u, v);
          if (edges.has(key)) edges.delete(key);
          else edges.set(key, [u, v]);
        }
      } else {
        kept.push(t);
      }
    }
    for (const [u, v] of edges.values()) kept.push(triangle(all, u, v, p));
    triangles = kept;
  }
  const out: number[] = [];
  for (const t of triangles) {
    if (t.a >= count || t.b >= count || t.c >= count) continue;
    if (doubleSignedArea(all, t.a, t.b, t.c) <= MIN_DOUBLE_AREA) continue;
    out.push(t.a, t.b, t.c);
  }
  return Uint32Array.from(out);
}
