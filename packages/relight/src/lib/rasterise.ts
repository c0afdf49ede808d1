import type { FaceSurface } from "./face-mesh.ts";

/** A rectangle of the frame with, per pixel, whether the face covers it and the light there. */
export interface FaceRaster {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
  /** 1 where a pixel's centre is inside a triangle, row-major over the rectangle. */
  readonly mask: Uint8Array;
  /** Three values per pixel interpolated from the vertices' (when given), row-major. */
  readonly values: Float32Array | null;
}

// Barycentric weights this far below 0 still count as inside: no seams on shared edges.
const EDGE_EPSILON = 1e-6;

/**
 * Fills the face's triangles over a `frameWidth × frameHeight` frame: each pixel whose centre is
 * inside a triangle is marked, and gets `vertexValues` (three per mesh point) interpolated with
 * its barycentric weights. Integer bounding boxes and edge functions, one pass per triangle.
 */
export function rasterise(
  surface: FaceSurface,
  points: Float32Array,
  frameWidth: number,
  frameHeight: number,
  vertexValues: Float32Array | null,
): FaceRaster {
  const x0 = Math.max(0, Math.floor(surface.minX));
  const y0 = Math.max(0, Math.floor(surface.minY));
  const x1 = Math.min(frameWidth, Math.ceil(surface.maxX) + 1);
  const y1 = Math.min(frameHeight, Math.ceil(surface.maxY) + 1);
  const width = Math.max(0, x1 - x0);
  const height = Math.max(0, y1 - y0);
  const mask = new Uint8Array(width * height);
  const values = vertexValues ? new Float32Array(width * height * 3) : null;
  const { triangles } = surface;
  for (let t = 0; t < triangles.length; t += 3) {
    const a = triangles[t] ?? 0;
    const b = triangles[t + 1] ?? 0;
    const c = triangles[t + 2] ?? 0;
    const ax = points[3 * a] ?? 0;
    const ay = points[3 * a + 1] ?? 0;
    const bx = points[3 * b] ?? 0;
    const by = points[3 * b + 1] ?? 0;
    const cx = points[3 * c] ?? 0;
    const cy = points[3 * c + 1] ?? 0;
    const area2 = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (Math.abs(area2) < 1e-9) continue;
    // Weights of a and b as linear functions of the pixel centre (px, py); c's is the rest.
    const aA = (by - cy) / area2;
    const bA = (cx - bx) / area2;
    const cA = (bx * cy - by * cx) / area2;
    const aB = (cy - ay) / area2;
    const bB = (ax - cx) / area2;
    const cB = (ay * (cx - ax) - ax * (cy - ay)) / area2;
    // Pixels whose centre (x + 0.5, y + 0.5) can fall inside.
    const tx0 = Math.max(x0, Math.ceil(Math.min(ax, bx, cx) - 0.5));
    const tx1 = Math.min(x1 - 1, Math.floor(Math.max(ax, bx, cx) - 0.5));
    const ty0 = Math.max(y0, Math.ceil(Math.min(ay, by, cy) - 0.5));
    const ty1 = Math.min(y1 - 1, Math.floor(Math.max(ay, by, cy) - 0.5));
    // The vertices' values as planes over the pixel centre, like the weights.
    const r = planes(vertexValues, a, b, c, aA, bA, cA, aB, bB, cB, 0);
    const g = planes(vertexValues, a, b, c, aA, bA, cA, aB, bB, cB, 1);
    const bl = planes(vertexValues, a, b, c, aA, bA, cA, aB, bB, cB, 2);
    for (let y = ty0; y <= ty1; y++) {
      const py = y + 0.5;
      const rowA = bA * py + cA;
      const rowB = bB * py + cB;
      const row = (y - y0) * width - x0;
      for (let x = tx0; x <= tx1; x++) {
        const px = x + 0.5;
        const wa = aA * px + rowA;
        const wb = aB * px + rowB;
        if (wa < -EDGE_EPSILON || wb < -EDGE_EPSILON || 1 - wa - wb < -EDGE_EPSILON) continue;
        const k = row + x;
        mask[k] = 1;
        if (values) {
          values[3 * k] = r[0] * px + r[1] * py + r[2];
          values[3 * k + 1] = g[0] * px + g[1] * py + g[2];
          values[3 * k + 2] = bl[0] * px + bl[1] * py + bl[2];
        }
      }
    }
  }
  return { x0, y0, width, height, mask, values };
}

/** Channel `ch` of the vertices' values as `[d/dx, d/dy, constant]` over the triangle. */
function planes(
  vertexValues: Float32Array | null,
  a: number,
  b: number,
  c: number,
  aA: number,
  bA: number,
  cA: number,
  aB: number,
  bB: number,
  cB: number,
  ch: number,
): readonly [number, number, number] {
  if (!vertexValues) return [0, 0, 0];
  const va = vertexValues[3 * a + ch] ?? 0;
  const vb = vertexValues[3 * b + ch] ?? 0;
  const vc = vertexValues[3 * c + ch] ?? 0;
  // v = wa·va + wb·vb + (1 − wa − wb)·vc, with wa, wb linear in (px, py).
  return [
    aA * (va - vc) + aB * (vb - vc),
    bA * (va - vc) + bB * (vb - vc),
    cA * (va - vc) + cB * (vb - vc) + vc,
  ];
}
