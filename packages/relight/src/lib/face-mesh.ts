import Delaunator from "delaunator";

/** Points of the face mesh's surface; MediaPipe's 478 add 10 iris points after them. */
export const MESH_POINTS = 468;

/** The face as a surface: triangles over the mesh points and an outward normal at each point. */
export interface FaceSurface {
  /** Vertex indices, three per triangle, into the first {@link MESH_POINTS} points. */
  readonly triangles: Uint32Array;
  /** `x, y, z` per point: the unit normal, turned towards the camera (`z ≤ 0`). */
  readonly normals: Float32Array;
  /** The points' bounding box in frame pixels. */
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/**
 * Triangulates the mesh's image positions (Delaunay on `x, y`: the mesh is a height field seen
 * from the camera, so its projection triangulates it; the union of the triangles is the face's
 * convex hull) and gives each point the area-weighted mean of its triangles' 3D normals.
 * `null` when the points span no area.
 */
export function faceSurface(points: Float32Array): FaceSurface | null {
  const xy = new Float64Array(MESH_POINTS * 2);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = points[3 * i] ?? 0;
    const y = points[3 * i + 1] ?? 0;
    xy[2 * i] = x;
    xy[2 * i + 1] = y;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const { triangles } = new Delaunator(xy);
  if (triangles.length === 0) return null;
  const sums = new Float64Array(MESH_POINTS * 3);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = 3 * (triangles[t] ?? 0);
    const b = 3 * (triangles[t + 1] ?? 0);
    const c = 3 * (triangles[t + 2] ?? 0);
    const ax = points[a] ?? 0;
    const ay = points[a + 1] ?? 0;
    const az = points[a + 2] ?? 0;
    const ux = (points[b] ?? 0) - ax;
    const uy = (points[b + 1] ?? 0) - ay;
    const uz = (points[b + 2] ?? 0) - az;
    const vx = (points[c] ?? 0) - ax;
    const vy = (points[c + 1] ?? 0) - ay;
    const vz = (points[c + 2] ?? 0) - az;
    // The cross product's length is twice the triangle's area: larger triangles weigh more.
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    if (nz > 0) {
      nx = -nx;
      ny = -ny;
      nz = -nz;
    }
    add(sums, a, nx, ny, nz);
    add(sums, b, nx, ny, nz);
    add(sums, c, nx, ny, nz);
  }
  const normals = new Float32Array(MESH_POINTS * 3);
  for (let v = 0; v < sums.length; v += 3) {
    const x = sums[v] ?? 0;
    const y = sums[v + 1] ?? 0;
    const z = sums[v + 2] ?? 0;
    const length = Math.hypot(x, y, z);
    // A point in no triangle (a duplicate Delaunator skipped) faces the camera.
    if (length === 0) {
      normals[v + 2] = -1;
    } else {
      normals[v] = x / length;
      normals[v + 1] = y / length;
      normals[v + 2] = z / length;
    }
  }
  return { triangles, normals, minX, minY, maxX, maxY };
}

function add(sums: Float64Array, at: number, x: number, y: number, z: number): void {
  sums[at] = (sums[at] ?? 0) + x;
  sums[at + 1] = (sums[at + 1] ?? 0) + y;
  sums[at + 2] = (sums[at + 2] ?? 0) + z;
}
