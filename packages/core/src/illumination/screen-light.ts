import type { IlluminationStep } from "@lumen/protocol";
import { colourToLinear, type LinearRgb } from "./linear-light.ts";

/** A direction in camera space: x to the image's right, y down, z away from the camera. */
export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/**
 * Where the screen is relative to the face, in metres, in camera space (the camera at the
 * origin, looking along +z). A laptop or monitor: a 0.30 × 0.20 m screen with the camera
 * centred above it, the face 0.40 m in front of it and level with the screen's upper third
 * (`../shared/notes/screen-reflection-physics.md`). Only directions matter to the checks, so a
 * real screen of another size or distance changes the predicted contrasts by degrees, not signs.
 */
export interface ScreenGeometry {
  readonly widthM: number;
  readonly heightM: number;
  /** Distance from the screen's plane to the face. */
  readonly faceDistanceM: number;
  /** How far below the camera the face sits. */
  readonly faceBelowCameraM: number;
}

export const SCREEN_GEOMETRY: ScreenGeometry = {
  widthM: 0.3,
  heightM: 0.2,
  faceDistanceM: 0.4,
  faceBelowCameraM: 0.07,
};

/** Irradiance factors of a surface from each half of the screen; 1 = the whole screen on a frontal surface. */
export interface HalfIrradiance {
  /** The half on the user's left (the image's +x side), and the one on the right. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const GRID = 8;

/** Unnormalised Lambertian irradiance from the screen area `x0..x1 × y0..y1` (camera space). */
function irradiance(
  normal: Vec3,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  g: ScreenGeometry,
): number {
  let sum = 0;
  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      // From the face (at (0, faceBelow, distance)) to a screen element (in the plane z = 0).
      const dx = x0 + ((i + 0.5) / GRID) * (x1 - x0);
      const dy = y0 + ((j + 0.5) / GRID) * (y1 - y0) - g.faceBelowCameraM;
      const dz = -g.faceDistanceM;
      const r2 = dx * dx + dy * dy + dz * dz;
      const r = Math.sqrt(r2);
      const cosSurface = (normal.x * dx + normal.y * dy + normal.z * dz) / r;
      // The screen emits along −z towards the face; its own cosine.
      const cosScreen = -dz / r;
      if (cosSurface > 0) sum += (cosSurface * cosScreen) / r2;
    }
  }
  return (sum * (x1 - x0) * (y1 - y0)) / (GRID * GRID);
}

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v.x, v.y, v.z) || 1;
  return { x: v.x / n, y: v.y / n, z: v.z / n };
}

const FRONTAL: Vec3 = { x: 0, y: 0, z: -1 };

/**
 * How much light each half of the screen sends onto a Lambertian surface with outward `normal`
 * (camera space; a surface facing the camera has normal (0, 0, −1)), as a fraction of what the
 * whole screen sends onto a frontal surface: the integral of cosθ_surface·cosθ_screen / r² over
 * the half. The user's left half of the screen is the image's +x side: the camera looks at the
 * user, so its right is the user's left.
 *
 * @example
 * ```ts
 * const w = halfIrradiance({ x: 0.5, y: 0, z: -0.87 }); // a surface turned to the image's right
 * w.left > w.right; // true: it faces the user's left half of the screen
 * ```
 */
export function halfIrradiance(
  normal: Vec3,
  geometry: ScreenGeometry = SCREEN_GEOMETRY,
): HalfIrradiance {
  const n = unit(normal);
  const halfW = geometry.widthM / 2;
  const h = geometry.heightM;
  const whole = irradiance(FRONTAL, -halfW, halfW, 0, h, geometry);
  return {
    left: irradiance(n, 0, halfW, 0, h, geometry) / whole,
    right: irradiance(n, -halfW, 0, 0, h, geometry) / whole,
    top: irradiance(n, -halfW, halfW, 0, h / 2, geometry) / whole,
    bottom: irradiance(n, -halfW, halfW, h / 2, h, geometry) / whole,
  };
}

/**
 * The screen's light on a surface with outward `normal` during `step`, in linear RGB relative
 * to a full white screen on a frontal surface: each half's colour times its irradiance.
 *
 * @example
 * ```ts
 * screenLight({ pattern: "full", colours: ["#ff0000", "#ff0000"], durationMs: 400 }, FRONTAL); // ≈ [1, 0, 0]
 * ```
 */
export function screenLight(
  step: Pick<IlluminationStep, "pattern" | "colours">,
  normal: Vec3,
  geometry: ScreenGeometry = SCREEN_GEOMETRY,
): LinearRgb {
  const w = halfIrradiance(normal, geometry);
  const [a, b] = step.colours.map(colourToLinear) as [LinearRgb, LinearRgb];
  const [wa, wb] = step.pattern === "top-bottom" ? [w.top, w.bottom] : [w.left, w.right];
  return [wa * a[0] + wb * b[0], wa * a[1] + wb * b[1], wa * a[2] + wb * b[2]];
}
