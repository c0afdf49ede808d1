import type { RgbaImage } from "../image/rgba-image.ts";
import { landmarksBox } from "../vision/landmarks-box.ts";
import {
  BACKGROUND_CELL_NAMES,
  BACKGROUND_CELLS,
  FACE_REGION_LANDMARKS,
  FACE_REGION_NAMES,
  type FaceRegionName,
} from "./face-regions.ts";
import { SRGB_TO_LINEAR, type LinearRgb } from "./linear-light.ts";
import type { Vec3 } from "./screen-light.ts";
import { surfaceNormal } from "./surface-normal.ts";

/** One face region's light in one frame. Pure data. */
export interface RegionLight {
  /** Mean linear RGB of the region's pixels. */
  readonly rgb: LinearRgb;
  /** How many pixels were averaged (a regular sample of the region on large faces). */
  readonly pixels: number;
  /** Outward surface normal from the face mesh, camera space (see `surfaceNormal`). */
  readonly normal: Vec3;
}

/**
 * The light of one frame as the illumination checks need it: each face region's mean linear
 * RGB and surface normal, and the background beside and above the face. Pure data, no pixels.
 */
export interface MeasuredLight {
  readonly regions: Readonly<Record<FaceRegionName, RegionLight>>;
  /** Mean linear RGB over every background cell in the frame; `null` when none is. */
  readonly background: LinearRgb | null;
  /**
   * Each background cell's mean linear RGB in `BACKGROUND_CELL_NAMES` order, `null` for a cell
   * that fell outside the frame: the evaluator judges the cell that looks most like background.
   */
  readonly backgroundCells: readonly (LinearRgb | null)[];
}

/**
 * Pixels averaged per region or cell at most: on a large face the region is sampled on a
 * regular grid instead. 4096 samples put the mean's sensor and JPEG noise (σ ≈ 2 levels per
 * pixel) near 0.03 levels, far under the 2–5 % effects measured, and keep a 1280 × 1280 frame
 * under 35 000 pixel reads.
 */
const MAX_SAMPLES = 4096;
/** Fewer pixels than this and a face region is too small to mean anything. */
const MIN_REGION_PIXELS = 12;
/** Fewer pixels than this and a background cell is left out. */
const MIN_CELL_PIXELS = 32;

interface Sum {
  r: number;
  g: number;
  b: number;
  count: number;
}

function cross(o: readonly number[], a: readonly number[], b: readonly number[]): number {
  return (
    ((a[0] ?? 0) - (o[0] ?? 0)) * ((b[1] ?? 0) - (o[1] ?? 0)) -
    ((a[1] ?? 0) - (o[1] ?? 0)) * ((b[0] ?? 0) - (o[0] ?? 0))
  );
}

/** Andrew's monotone chain: the convex hull, counter-clockwise in image coordinates. */
function convexHull(pts: number[][]): number[][] {
  const sorted = [...pts].sort((p, q) => (p[0] ?? 0) - (q[0] ?? 0) || (p[1] ?? 0) - (q[1] ?? 0));
  const half = (list: number[][]): number[][] => {
    const out: number[][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2] ?? p, out[out.length - 1] ?? p, p) <= 0) {
        out.pop();
      }
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

function polygonArea(hull: readonly number[][]): number {
  let area = 0;
  for (let i = 0; i < hull.length; i++) {
    const p = hull[i] ?? [0, 0];
    const q = hull[(i + 1) % hull.length] ?? [0, 0];
    area += (p[0] ?? 0) * (q[1] ?? 0) - (q[0] ?? 0) * (p[1] ?? 0);
  }
  return Math.abs(area) / 2;
}

function addPixel(image: RgbaImage, x: number, y: number, sum: Sum): void {
  const i = (y * image.width + x) * 4;
  sum.r += SRGB_TO_LINEAR[image.data[i] ?? 0] ?? 0;
  sum.g += SRGB_TO_LINEAR[image.data[i + 1] ?? 0] ?? 0;
  sum.b += SRGB_TO_LINEAR[image.data[i + 2] ?? 0] ?? 0;
  sum.count++;
}

/** Sums the pixels whose centres lie inside a convex polygon, on a grid of `stride`. */
function sumPolygon(image: RgbaImage, hull: readonly number[][], stride: number): Sum {
  const sum: Sum = { r: 0, g: 0, b: 0, count: 0 };
  const ys = hull.map((p) => p[1] ?? 0);
  const top = Math.max(0, Math.ceil(Math.min(...ys) - 0.5));
  const bottom = Math.min(image.height - 1, Math.floor(Math.max(...ys) - 0.5));
  for (let y = top; y <= bottom; y += stride) {
    const yc = y + 0.5;
    // A horizontal line crosses a convex polygon in one interval.
    let left = Infinity;
    let right = -Infinity;
    for (let i = 0; i < hull.length; i++) {
      const p = hull[i] ?? [0, 0];
      const q = hull[(i + 1) % hull.length] ?? [0, 0];
      const [px = 0, py = 0] = p;
      const [qx = 0, qy = 0] = q;
      if ((py <= yc && qy >= yc) || (qy <= yc && py >= yc)) {
        const x = py === qy ? Math.min(px, qx) : px + ((yc - py) / (qy - py)) * (qx - px);
        const x2 = py === qy ? Math.max(px, qx) : x;
        left = Math.min(left, x);
        right = Math.max(right, x2);
      }
    }
    const x0 = Math.max(0, Math.ceil(left - 0.5));
    const x1 = Math.min(image.width - 1, Math.floor(right - 0.5));
    for (let x = x0; x <= x1; x += stride) addPixel(image, x, y, sum);
  }
  return sum;
}

function sumRect(image: RgbaImage, x0: number, x1: number, y0: number, y1: number): Sum {
  const sum: Sum = { r: 0, g: 0, b: 0, count: 0 };
  const left = Math.max(0, Math.ceil(x0));
  const right = Math.min(image.width, Math.floor(x1));
  const top = Math.max(0, Math.ceil(y0));
  const bottom = Math.min(image.height, Math.floor(y1));
  if (right <= left || bottom <= top) return sum;
  const stride = Math.max(1, Math.ceil(Math.sqrt(((right - left) * (bottom - top)) / MAX_SAMPLES)));
  for (let y = top; y < bottom; y += stride) {
    for (let x = left; x < right; x += stride) addPixel(image, x, y, sum);
  }
  return sum;
}

const mean = (sum: Sum): LinearRgb => [sum.r / sum.count, sum.g / sum.count, sum.b / sum.count];

/**
 * Measures the light on the face and around it in one frame: for each face region (see
 * `FACE_REGION_LANDMARKS`) the mean linear RGB of the pixels inside the convex hull of its
 * landmarks, decoded through `SRGB_TO_LINEAR`, and its outward normal from the mesh; for the
 * background, the cells of `BACKGROUND_CELLS` clipped to the frame. Runs where the pixels are
 * (the server's frame worker), once per frame: at most about 4096 pixel reads per region or
 * cell, whatever the frame size, and no allocation beyond the result and a few hull points.
 *
 * Returns `null` when a region's hull reaches outside the frame, is too small to average, or
 * its landmarks give no plane.
 *
 * @throws {RangeError} when `points` is not the 468 mesh landmarks or not finite.
 * @example
 * ```ts
 * const light = measureFrameLight(frame, analysis.face.landmarks.points);
 * light?.regions.leftCheek.rgb; // [r, g, b] linear, 0..1
 * ```
 */
export function measureFrameLight(image: RgbaImage, points: Float32Array): MeasuredLight | null {
  if (points.length < 468 * 3) {
    throw new RangeError(`Frame light needs the 468 mesh landmarks, got ${points.length / 3}`);
  }
  const regions = {} as Record<FaceRegionName, RegionLight>;
  for (const name of FACE_REGION_NAMES) {
    const indices = FACE_REGION_LANDMARKS[name];
    const hull = convexHull(
      indices.map((i) => [points[i * 3] ?? Number.NaN, points[i * 3 + 1] ?? Number.NaN]),
    );
    const xs = hull.map((p) => p[0] ?? Number.NaN);
    const ys = hull.map((p) => p[1] ?? Number.NaN);
    if (
      !(Math.min(...xs) >= 0 && Math.min(...ys) >= 0) ||
      !(Math.max(...xs) <= image.width && Math.max(...ys) <= image.height)
    ) {
      return null;
    }
    const stride = Math.max(1, Math.ceil(Math.sqrt(polygonArea(hull) / MAX_SAMPLES)));
    const sum = sumPolygon(image, hull, stride);
    const normal = surfaceNormal(points, indices);
    if (sum.count < MIN_REGION_PIXELS || normal === null) return null;
    regions[name] = { rgb: mean(sum), pixels: sum.count, normal };
  }
  const box = landmarksBox(points.subarray(0, 468 * 3));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const total: Sum = { r: 0, g: 0, b: 0, count: 0 };
  const backgroundCells = BACKGROUND_CELL_NAMES.map((name) => {
    const cell = BACKGROUND_CELLS[name];
    const sum = sumRect(
      image,
      cx + cell.x0 * box.width,
      cx + cell.x1 * box.width,
      cy + cell.y0 * box.height,
      cy + cell.y1 * box.height,
    );
    if (sum.count < MIN_CELL_PIXELS) return null;
    total.r += sum.r;
    total.g += sum.g;
    total.b += sum.b;
    total.count += sum.count;
    return mean(sum);
  });
  return { regions, background: total.count > 0 ? mean(total) : null, backgroundCells };
}
