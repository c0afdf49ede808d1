import type { IlluminationStep } from "@lumen/protocol";
import {
  BACKGROUND_CELL_NAMES,
  colourToLinear,
  FACE_REGION_LANDMARKS,
  FACE_REGION_NAMES,
  illuminationStepAt,
  screenLight,
  surfaceNormal,
  type FaceRegionName,
  type IlluminationFrame,
  type LinearRgb,
  type MeasuredLight,
  type Vec3,
} from "../../src/index.ts";
import fixture from "../fixtures/frontal-face-mesh.json" with { type: "json" };

/**
 * Synthetic renders of a face lit by the illumination sequence, from the physical model the
 * evaluator assumes (`albedo ⊙ (ambient + k·screenLight(step, normal))`), with the region
 * normals of a real frontal mesh, and the attacks that fake it. The one simulation of screen
 * light in core's tests: nothing here depends on another package.
 */

/** The server's mesh of a frontal face (genuine video d12), 468 × (x, y, z) in frame pixels. */
export const FRONTAL_MESH = {
  width: fixture.width,
  height: fixture.height,
  points: Float32Array.from(fixture.points),
};

const FRONTAL: Vec3 = { x: 0, y: 0, z: -1 };

/** Each region's normal on the frontal mesh. */
export const FRONTAL_NORMALS = Object.fromEntries(
  FACE_REGION_NAMES.map((name) => [
    name,
    surfaceNormal(FRONTAL_MESH.points, FACE_REGION_LANDMARKS[name]) ?? FRONTAL,
  ]),
) as Record<FaceRegionName, Vec3>;

/** A sequence with two dark steps and two splits of each kind, 400 ms a step. */
export const TEST_STEPS: IlluminationStep[] = [
  { pattern: "full", colours: ["#000000", "#000000"], durationMs: 400 },
  { pattern: "left-right", colours: ["#ff0000", "#0000ff"], durationMs: 400 },
  { pattern: "full", colours: ["#00ff00", "#00ff00"], durationMs: 400 },
  { pattern: "top-bottom", colours: ["#0000ff", "#00ff00"], durationMs: 400 },
  { pattern: "full", colours: ["#000000", "#000000"], durationMs: 400 },
  { pattern: "left-right", colours: ["#00ff00", "#ff0000"], durationMs: 400 },
  { pattern: "full", colours: ["#ff00ff", "#ff00ff"], durationMs: 400 },
  { pattern: "top-bottom", colours: ["#ff0000", "#00ff00"], durationMs: 400 },
];

/** When the SDK painted each step: back to back from 2000, a few ms of jitter. */
export const TEST_SHOWN_AT = TEST_STEPS.map((_, i) => 2000 + 400 * i + ((i * 7) % 5));

/** How the rendered subject answers the screen. */
export type Subject =
  /** A face lit by the screen. */
  | "genuine"
  /** Nothing answers the screen. */
  | "none"
  /** The face box tinted with the step's colour (both halves averaged): no shading. */
  | "face-tint"
  /** The whole frame tinted, each image half with the colour of the screen half beside it. */
  | "frame-tint"
  /** Relit as a flat sheet: every region lit as if facing the camera. */
  | "flat"
  /** Relit with the screen's halves swapped. */
  | "swapped";

/** Options of {@link renderSession}. */
export interface RenderOptions {
  readonly subject?: Subject;
  /** Camera lag of the subject's light after the paint times. */
  readonly lagMs?: number;
  /** Frames are `frameIntervalMs` apart (± 4 ms), from 400 ms before the first step to 400 ms after the last. */
  readonly frameIntervalMs?: number;
  /** Exposure time: a frame averages the light over it. */
  readonly exposureMs?: number;
  /** The screen's white on a frontal surface, relative to the ambient's level (`k`). */
  readonly screenShare?: number;
  /** Ambient light, linear RGB. */
  readonly ambient?: LinearRgb;
  /** Relative noise of each region mean, standard deviation. */
  readonly noise?: number;
  /**
   * Per region, how much its albedo changes per second from the first step on (relative, per
   * channel): a head moving in the room's light drifts a region's colour.
   */
  readonly drift?: Partial<Readonly<Record<FaceRegionName, LinearRgb>>>;
  readonly seed?: number;
}

const ALBEDO: Record<FaceRegionName, LinearRgb> = {
  forehead: [0.46, 0.3, 0.22],
  nose: [0.5, 0.31, 0.23],
  leftCheek: [0.48, 0.29, 0.22],
  rightCheek: [0.47, 0.29, 0.21],
  chin: [0.44, 0.28, 0.21],
};
const BACKGROUND_ALBEDO: LinearRgb = [0.3, 0.32, 0.35];
/** Inverse square for a wall 1.5 m behind a face 0.4 m from the screen. */
const WALL_SHARE = (0.4 / 1.5) ** 2;
/** How strongly a tint attack blends in the colour (the old simulations' FLASH_BLEND). */
const TINT = 0.15;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const add = (a: LinearRgb, b: LinearRgb, k = 1): LinearRgb => [
  a[0] + k * b[0],
  a[1] + k * b[1],
  a[2] + k * b[2],
];
const mul = (a: LinearRgb, b: LinearRgb): LinearRgb => [a[0] * b[0], a[1] * b[1], a[2] * b[2]];
const blend = (a: LinearRgb, b: LinearRgb, t: number): LinearRgb => [
  (1 - t) * a[0] + t * b[0],
  (1 - t) * a[1] + t * b[1],
  (1 - t) * a[2] + t * b[2],
];

function drifted(albedo: LinearRgb, perSecond: LinearRgb | undefined, ms: number): LinearRgb {
  return perSecond ? mul(albedo, add([1, 1, 1], perSecond, ms / 1000)) : albedo;
}

/** Which half of the screen a place in the image is beside: 0 (left / top), 1, or both. */
type Side = 0 | 1 | "both";
const SIDES: Record<FaceRegionName | "besideRight" | "besideLeft" | "above", [Side, Side]> = {
  // [for left-right steps, for top-bottom steps]; the user's left half is the image's right.
  forehead: ["both", 0],
  nose: ["both", "both"],
  leftCheek: [0, "both"],
  rightCheek: [1, "both"],
  chin: ["both", 1],
  besideRight: [0, 0],
  besideLeft: [1, 0],
  above: ["both", 0],
};

function tintColour(step: IlluminationStep | null, side: Side): LinearRgb {
  if (!step) return [0.2, 0.2, 0.2];
  const a = colourToLinear(step.colours[0]);
  const b = colourToLinear(step.colours[1]);
  if (side === 0) return a;
  if (side === 1) return b;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
}

/** The screen as the face sees it at `time`: the step on screen, or the SDK's grey page. */
function stepOnScreen(
  time: number,
  steps: readonly IlluminationStep[],
  shownAt: readonly number[],
): IlluminationStep | null {
  const i = illuminationStepAt(steps, shownAt, time, 0);
  return i === null ? null : (steps[i] ?? null);
}

const PAGE: IlluminationStep = {
  pattern: "full",
  colours: ["#000000", "#000000"],
  durationMs: 400,
};

/**
 * Renders the frames an evidence upload would carry for `subject` during `steps` shown at
 * `shownAt`: each frame's measured light as `measureFrameLight` would report it.
 */
export function renderSession(
  steps: readonly IlluminationStep[] = TEST_STEPS,
  shownAt: readonly number[] = TEST_SHOWN_AT,
  options: RenderOptions = {},
): IlluminationFrame[] {
  const subject = options.subject ?? "genuine";
  const lagMs = options.lagMs ?? 40;
  const interval = options.frameIntervalMs ?? 66;
  const exposure = options.exposureMs ?? 20;
  const k = subject === "none" ? 0 : (options.screenShare ?? 0.4);
  const ambient = options.ambient ?? [0.6, 0.55, 0.5];
  const noise = options.noise ?? 0.005;
  const random = seeded(options.seed ?? 1);
  const gauss = (): number => {
    const u = Math.max(1e-12, random());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const first = shownAt[0] ?? 0;
  const last = (shownAt[shownAt.length - 1] ?? 0) + (steps[steps.length - 1]?.durationMs ?? 0);
  const frames: IlluminationFrame[] = [];
  for (let t = first - 400; t < last + 400; t += interval) {
    const capturedAt = Math.round(t + (random() - 0.5) * 8);
    // The frame integrates the light over its exposure, the subject's lag behind the screen.
    const times = [0, 1, 2, 3].map((j) => capturedAt - lagMs - (exposure * (j + 0.5)) / 4);
    const light = (
      place: keyof typeof SIDES,
      albedo: LinearRgb,
      normal: Vec3,
      share: number,
    ): LinearRgb => {
      let sum: LinearRgb = [0, 0, 0];
      for (const time of times) {
        const step = stepOnScreen(time, steps, shownAt);
        const base = mul(albedo, ambient);
        let value: LinearRgb;
        if (subject === "face-tint" || subject === "frame-tint") {
          const side =
            subject === "face-tint" ? "both" : SIDES[place][step?.pattern === "top-bottom" ? 1 : 0];
          const tinted =
            subject === "frame-tint" || (!place.startsWith("beside") && place !== "above");
          value = tinted && step ? blend(base, tintColour(step, side), TINT) : base;
        } else {
          const shown = step ?? PAGE;
          const lit =
            subject === "swapped"
              ? { ...shown, colours: [shown.colours[1], shown.colours[0]] as typeof shown.colours }
              : shown;
          const n = subject === "flat" ? FRONTAL : normal;
          value = mul(albedo, add(ambient, screenLight(lit, n), k * share));
        }
        sum = add(sum, value, 1 / times.length);
      }
      const jitter = 1 + noise * gauss();
      return [sum[0] * jitter, sum[1] * (1 + noise * gauss()), sum[2] * (1 + noise * gauss())];
    };
    const regions = Object.fromEntries(
      FACE_REGION_NAMES.map((name) => [
        name,
        {
          rgb: light(
            name,
            drifted(ALBEDO[name], options.drift?.[name], t - first),
            FRONTAL_NORMALS[name],
            1,
          ),
          pixels: 400,
          normal: FRONTAL_NORMALS[name],
        },
      ]),
    ) as MeasuredLight["regions"];
    const backgroundCells = BACKGROUND_CELL_NAMES.map((name) =>
      light(name, BACKGROUND_ALBEDO, FRONTAL, WALL_SHARE),
    );
    const background: LinearRgb = [0, 1, 2].map(
      (c) => backgroundCells.reduce((s, v) => s + (v[c] ?? 0), 0) / backgroundCells.length,
    ) as unknown as LinearRgb;
    frames.push({ capturedAt, light: { regions, background, backgroundCells } });
  }
  return frames;
}
