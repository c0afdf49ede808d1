import {
  colourToLinear,
  halfIrradiance,
  type HalfIrradiance,
  type LinearRgb,
  type ScreenGeometry,
} from "@lumen/core";
import type { ScreenState } from "../screen-state.ts";

// Grid over the normal's stereographic coordinates s = (x, y) / (1 − z), |s| ≤ 1 on the
// camera-facing hemisphere: unlike (x, y) it stays even towards the silhouette, where the
// irradiance turns fastest. 1/32 apart, read bilinearly: within 0.2 % of a frontal full screen (test/irradiance-grid.test.ts).
const CELLS = 64;
const STRIDE = CELLS + 1;

/** Per normal on the grid: left, right, top, bottom, as in `HalfIrradiance`. */
type Grid = Float32Array;

const grids = new WeakMap<ScreenGeometry, Grid>();

function gridFor(geometry: ScreenGeometry): Grid {
  let grid = grids.get(geometry);
  if (grid) return grid;
  grid = new Float32Array(STRIDE * STRIDE * 4);
  for (let j = 0; j < STRIDE; j++) {
    for (let i = 0; i < STRIDE; i++) {
      const sx = -1 + (2 * i) / CELLS;
      const sy = -1 + (2 * j) / CELLS;
      const s2 = sx * sx + sy * sy;
      // Beyond |s| = 1 the normal turns away from the camera: lit by nothing there, harmless.
      const x = (2 * sx) / (1 + s2);
      const y = (2 * sy) / (1 + s2);
      const z = (s2 - 1) / (1 + s2);
      const w: HalfIrradiance = halfIrradiance({ x, y, z }, geometry);
      grid.set([w.left, w.right, w.top, w.bottom], 4 * (j * STRIDE + i));
    }
  }
  grids.set(geometry, grid);
  return grid;
}

/**
 * The screen's light on surfaces with `normals` (unit, camera-facing, `x, y, z` each), in
 * linear RGB, three values per normal: `screenLight` of `@lumen/core`, with its half-screen
 * integrals read (bilinearly) from a table built once per geometry: integrating afresh for the
 * 468 normals of every frame would cost several milliseconds.
 */
export function screenLightPerNormal(
  screen: ScreenState,
  normals: Float32Array,
  geometry: ScreenGeometry,
): Float32Array {
  const grid = gridFor(geometry);
  const [first, second] = screen.colours.map(colourToLinear) as [LinearRgb, LinearRgb];
  const offset = screen.pattern === "top-bottom" ? 2 : 0;
  const count = Math.floor(normals.length / 3);
  const out = new Float32Array(count * 3);
  for (let v = 0; v < count; v++) {
    const along = 1 - (normals[3 * v + 2] ?? -1);
    const gx = (((normals[3 * v] ?? 0) / along + 1) / 2) * CELLS;
    const gy = (((normals[3 * v + 1] ?? 0) / along + 1) / 2) * CELLS;
    const i = Math.min(CELLS - 1, Math.max(0, Math.floor(gx)));
    const j = Math.min(CELLS - 1, Math.max(0, Math.floor(gy)));
    const fx = Math.min(1, Math.max(0, gx - i));
    const fy = Math.min(1, Math.max(0, gy - j));
    const at = (di: number, dj: number, half: number): number =>
      grid[4 * ((j + dj) * STRIDE + i + di) + offset + half] ?? 0;
    const read = (half: number): number =>
      (1 - fy) * ((1 - fx) * at(0, 0, half) + fx * at(1, 0, half)) +
      fy * ((1 - fx) * at(0, 1, half) + fx * at(1, 1, half));
    const wa = read(0);
    const wb = read(1);
    for (let c = 0; c < 3; c++) out[3 * v + c] = wa * (first[c] ?? 0) + wb * (second[c] ?? 0);
  }
  return out;
}
