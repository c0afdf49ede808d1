import type { RgbaImage } from "@lumen/core";
import {
  colourToLinear,
  landmarksBox,
  linearToSrgb,
  SCREEN_GEOMETRY,
  screenLight,
  SRGB_TO_LINEAR,
  srgbToLinear,
  type LinearRgb,
  type ScreenGeometry,
  type Vec3,
} from "@lumen/core";
import { faceSurface, MESH_POINTS } from "./lib/face-mesh.ts";
import { gaussianTable, GAUSSIAN_TABLE_SIZE } from "./lib/gaussian-table.ts";
import { screenLightPerNormal } from "./lib/irradiance-grid.ts";
import { rasterise } from "./lib/rasterise.ts";
import type { ScreenState } from "./screen-state.ts";

/**
 * How the screen's light reaches the picture:
 * - `"3d"`: a live face. Each face pixel gets the light its own surface normal receives from
 *   each half of the screen; the background a distant wall's share.
 * - `"flat"`: a print or a screen held up. Every face pixel is lit as a camera-facing surface,
 *   so the two halves of a split step light both sides of the face alike.
 * - `"tint-face"`: today's adaptive attacker (and Lumen's first simulations): the mean screen
 *   colour alpha-blended over the face box grown by a sixth of its width on each side.
 * - `"tint-frame"`: the same blend over the whole frame (a colour filter on the video).
 * - `"swapped"`: `"3d"` with the halves' colours exchanged, as an attacker who mirrors the
 *   screen's pattern gets it.
 */
export type RelightMode = "3d" | "flat" | "tint-face" | "tint-frame" | "swapped";

/** Options of {@link relightFrame}; every field has a default. */
export interface RelightOptions {
  /** Default `"3d"`. */
  readonly mode?: RelightMode;
  /**
   * The screen's share of the light on a camera-facing surface when it shows full white, 0..<1.
   * Default 0.25: an office (300–500 lux) against a laptop screen at 0.4 m (about 110 lux)
   * gives a fifth to a quarter (`shared/notes/screen-reflection-physics.md`).
   */
  readonly strength?: number;
  /**
   * The camera's sensor noise at the input's own light, standard deviation on the 0..255 scale;
   * default 2, 0 for none. The input already carries it, so a pixel gains only the shot noise of
   * the light the screen adds, `noise · √(after / before − 1)` (none while the screen adds none).
   */
  readonly noise?: number;
  /** Uniform numbers in [0, 1) for the noise; default `Math.random`. Pass a seeded one to repeat. */
  readonly random?: () => number;
  /** Global exposure gain in linear light (auto-exposure); default 1. */
  readonly exposure?: number;
  /**
   * What a wall behind the face receives of the face's light, on a camera-facing surface:
   * default (0.4 / 1.5)² ≈ 0.071, inverse square for a face at 0.4 m and a wall at 1.5 m.
   */
  readonly backgroundShare?: number;
  /** The blend's alpha in the tint modes (sRGB, as a canvas `globalAlpha`); default 0.15. */
  readonly tintAlpha?: number;
  /** Where the screen is; default `SCREEN_GEOMETRY` (a laptop at 0.4 m). */
  readonly geometry?: ScreenGeometry;
}

/** {@link RelightOptions} with the defaults in place. */
export type ResolvedRelightOptions = Required<RelightOptions>;

/** The defaults of {@link RelightOptions}, less `random` (`Math.random`). */
export const RELIGHT_DEFAULTS: Omit<ResolvedRelightOptions, "random"> = {
  mode: "3d",
  strength: 0.25,
  noise: 2,
  exposure: 1,
  backgroundShare: (0.4 / 1.5) ** 2,
  tintAlpha: 0.15,
  geometry: SCREEN_GEOMETRY,
};

const MODES: readonly RelightMode[] = ["3d", "flat", "tint-face", "tint-frame", "swapped"];
const FRONTAL: Vec3 = { x: 0, y: 0, z: -1 };

function check(ok: boolean, message: string): void {
  if (!ok) throw new TypeError(message);
}

/**
 * Resolves and checks `options` once.
 *
 * @throws {TypeError} When an option is out of range.
 * @example
 * ```ts
 * const resolved = resolveRelightOptions({ mode: "flat", noise: 0 });
 * ```
 */
export function resolveRelightOptions(options: RelightOptions = {}): ResolvedRelightOptions {
  const resolved: ResolvedRelightOptions = {
    ...RELIGHT_DEFAULTS,
    random: Math.random,
    ...options,
  };
  check(MODES.includes(resolved.mode), `Unknown relight mode ${resolved.mode}`);
  check(
    resolved.strength >= 0 && resolved.strength < 1,
    `strength is the screen's share of the light, 0 ≤ strength < 1; got ${resolved.strength}`,
  );
  check(resolved.noise >= 0 && Number.isFinite(resolved.noise), "noise must be ≥ 0");
  check(resolved.exposure > 0 && Number.isFinite(resolved.exposure), "exposure must be > 0");
  check(resolved.backgroundShare >= 0, "backgroundShare must be ≥ 0");
  check(resolved.tintAlpha >= 0 && resolved.tintAlpha <= 1, "tintAlpha must be in 0..1");
  check(typeof resolved.random === "function", "random must be a function");
  return resolved;
}

// Linear light 0..1 to sRGB 0..255 by table: `pow` per channel would cost more than the rest.
const ENCODE_STEPS = 16_384;
let encodeTable: Float32Array | null = null;
function encodeLut(): Float32Array {
  encodeTable ??= Float32Array.from({ length: ENCODE_STEPS + 1 }, (_, i) =>
    linearToSrgb(i / ENCODE_STEPS),
  );
  return encodeTable;
}

/**
 * The darkest level the added light's shot noise is reckoned from (video black, 16 of 255): the
 * ratio of a pixel's light after and before is unbounded towards black, and no webcam delivers
 * darker skin or background than its black level with less than that level's noise.
 */
const NOISE_FLOOR_LINEAR = srgbToLinear(16);

/**
 * The sensor noise a pixel gains when its light goes from `before` to `after` (linear): the
 * input already carries the camera's noise at its own light, `noise` on the 0..255 scale; shot
 * noise's variance grows in proportion to the light, so only the added light's share is new,
 * `noise · √(after / before − 1)`, and none where the light does not grow.
 */
function addedNoise(noise: number, ratio: number): number {
  return ratio > 1 ? noise * Math.sqrt(ratio - 1) : 0;
}

type Channels = readonly [Float32Array, Float32Array, Float32Array];

/** Per channel, each 8-bit value's output (0..255, unrounded) and the noise it gains. */
interface ChannelLuts {
  readonly values: Channels;
  readonly noise: Channels;
}

/**
 * Per channel, each 8-bit value's output and noise: `linear(v, c)` is the pixel's linear light
 * after the change, before the exposure gain.
 */
function luts(
  linear: (value: number, channel: 0 | 1 | 2) => number,
  exposure: number,
  noise: number,
): ChannelLuts {
  const lut = (at: (v: number, channel: 0 | 1 | 2) => number): Channels => {
    const channel = (c: 0 | 1 | 2) => Float32Array.from({ length: 256 }, (_, v) => at(v, c));
    return [channel(0), channel(1), channel(2)];
  };
  return {
    values: lut((v, c) => linearToSrgb(linear(v, c) * exposure)),
    noise: lut((v, c) =>
      addedNoise(noise, (linear(v, c) * exposure) / Math.max(srgbToLinear(v), NOISE_FLOOR_LINEAR)),
    ),
  };
}

/** Light added in linear RGB, as a multiple of a pixel's own (ambient) light. */
function gainLuts(gain: LinearRgb, exposure: number, noise: number): ChannelLuts {
  return luts((v, c) => srgbToLinear(v) * (1 + gain[c]), exposure, noise);
}

function scaled(light: LinearRgb, by: number): LinearRgb {
  return [light[0] * by, light[1] * by, light[2] * by];
}

function checkInputs(image: RgbaImage, points: Float32Array | null): void {
  const { width, height, data } = image;
  check(
    Number.isInteger(width) && Number.isInteger(height) && width >= 0 && height >= 0,
    `The image's size must be whole pixels, got ${width} × ${height}`,
  );
  check(
    data.length === width * height * 4,
    `A ${width} × ${height} RGBA image has ${width * height * 4} bytes, got ${data.length}`,
  );
  if (points === null) return;
  check(
    points.length === MESH_POINTS * 3 || points.length === 478 * 3,
    `points must be the face mesh's 468 (or MediaPipe's 478) x, y, z triples, ` +
      `got ${points.length} numbers`,
  );
  for (let i = 0; i < MESH_POINTS * 3; i++) {
    check(Number.isFinite(points[i]), `points[${i}] is not a finite number`);
  }
}

/** Where the face's own light applies: a rectangle, with a mask and per-pixel gains or not. */
interface FaceRegion {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
  readonly mask: Uint8Array | null;
  /**
   * 3d: per pixel and channel, the linear-light gain `exposure · (1 + added)` times the
   * encoding table's size; else `null` and the face LUTs apply.
   */
  readonly gains: Float32Array | null;
}

/**
 * The camera frame a face in `image` would give with the screen showing `screen`, in linear
 * light: each pixel's albedo under the (white) ambient light is the pixel itself, so the
 * screen adds `k · pixel ⊙ screenLight(screen, normal)`, with `k = strength / (1 − strength)`
 * the screen's white light over the ambient light on a camera-facing surface, and `normal` the
 * face mesh's surface normal there (see {@link RelightMode} for the other modes). Then the
 * exposure gain, back to sRGB, and the Gaussian shot noise of the added light (see
 * {@link RelightOptions.noise}). `image` is treated as captured with the screen adding nothing
 * (a dark screen, or `screen === null`), its own sensor noise included. Returns a new image of
 * the same pixel array type; `image` is left untouched.
 *
 * `points` are the frame's mesh (468 points, or MediaPipe's 478 whose first 468 are the same
 * topology) as `x, y, z` in frame pixels, smaller `z` nearer the camera; `null` when the frame
 * has no face (then only the background and `tint-frame` respond).
 *
 * @throws {TypeError} When the image's data does not match its size, `points` is not a mesh, or
 * an option is out of range.
 * @example
 * ```ts
 * const random = createSeededRandom(1);
 * const screen = { pattern: "left-right", colours: ["#ff0000", "#0000ff"] } as const;
 * const lit = relightFrame(image, analysis.face.landmarks.points, screen, { random });
 * ```
 */
export function relightFrame(
  image: RgbaImage,
  points: Float32Array | null,
  screen: ScreenState | null,
  options: RelightOptions = {},
): RgbaImage {
  const o = resolveRelightOptions(options);
  checkInputs(image, points);
  const { width, height } = image;
  const k = o.strength / (1 - o.strength);
  const lit = screen === null ? null : o.mode === "swapped" ? swap(screen) : screen;

  // Outside the face (and everywhere without a screen): one LUT per channel.
  let outside: ChannelLuts;
  let inside: ChannelLuts | null = null;
  let region: FaceRegion | null = null;
  if (o.mode === "tint-face" || o.mode === "tint-frame") {
    const colour = lit === null ? null : meanColour(lit);
    const tint = (alpha: number): ChannelLuts =>
      luts(
        (v, c) => srgbToLinear(colour === null ? v : (1 - alpha) * v + alpha * colour[c]),
        o.exposure,
        o.noise,
      );
    outside = tint(o.mode === "tint-frame" ? o.tintAlpha : 0);
    if (o.mode === "tint-face" && points !== null) {
      inside = tint(o.tintAlpha);
      region = grownBox(points, width, height);
    }
  } else {
    const frontal = lit === null ? ([0, 0, 0] as const) : screenLight(lit, FRONTAL, o.geometry);
    outside = gainLuts(scaled(frontal, k * o.backgroundShare), o.exposure, o.noise);
    const surface = points === null || lit === null ? null : faceSurface(points);
    if (surface && points && lit) {
      let vertexGains: Float32Array | null = null;
      if (o.mode === "flat") {
        inside = gainLuts(scaled(frontal, k), o.exposure, o.noise);
      } else {
        // Light per mesh point, interpolated over each triangle (Gouraud): the screen's light
        // varies smoothly with the normal, and per-pixel integrals would cost 100× more.
        vertexGains = screenLightPerNormal(lit, surface.normals, o.geometry);
        for (let i = 0; i < vertexGains.length; i++) {
          // Scaled to the encoding table's index: one multiply per channel per pixel.
          vertexGains[i] = ENCODE_STEPS * o.exposure * (1 + k * (vertexGains[i] ?? 0));
        }
      }
      const raster = rasterise(surface, points, width, height, vertexGains);
      region = { ...raster, gains: raster.values };
    }
  }
  return compose(image, outside, inside, region, o);
}

function swap(screen: ScreenState): ScreenState {
  return { pattern: screen.pattern, colours: [screen.colours[1], screen.colours[0]] };
}

/** The screen's mean colour (linear mean of its halves) as sRGB 0..255. */
function meanColour(screen: ScreenState): LinearRgb {
  const [a, b] = screen.colours.map(colourToLinear) as [LinearRgb, LinearRgb];
  return [0, 1, 2].map((c) => linearToSrgb(((a[c] ?? 0) + (b[c] ?? 0)) / 2)) as [
    number,
    number,
    number,
  ];
}

/** The mesh's box grown by a sixth of its width on each side (the tint modes' face region). */
function grownBox(points: Float32Array, width: number, height: number): FaceRegion {
  const box = landmarksBox(points.subarray(0, MESH_POINTS * 3));
  const [minX, minY] = [box.x, box.y];
  const [maxX, maxY] = [box.x + box.width, box.y + box.height];
  const grow = (maxX - minX) / 6;
  const x0 = Math.max(0, Math.floor(minX - grow));
  const y0 = Math.max(0, Math.floor(minY - grow));
  const x1 = Math.min(width, Math.ceil(maxX + grow));
  const y1 = Math.min(height, Math.ceil(maxY + grow));
  return {
    x0,
    y0,
    width: Math.max(0, x1 - x0),
    height: Math.max(0, y1 - y0),
    mask: null,
    gains: null,
  };
}

function compose(
  image: RgbaImage,
  outside: ChannelLuts,
  inside: ChannelLuts | null,
  region: FaceRegion | null,
  o: ResolvedRelightOptions,
): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length);
  const encode = encodeLut();
  const noise = o.noise;
  const table = gaussianTable();
  const mask16 = GAUSSIAN_TABLE_SIZE - 1;
  // Noise words from xorshift32 inline, seeded by the caller's `random` once per frame: a call
  // per value would double the frame's cost; the seed keeps it repeatable.
  let state = (Math.floor(o.random() * 4294967296) ^ 0x9e3779b9) >>> 0 || 1;
  const [o0, o1, o2] = outside.values;
  const [on0, on1, on2] = outside.noise;
  const [i0, i1, i2] = (inside ?? outside).values;
  const [in0, in1, in2] = (inside ?? outside).noise;
  const rx0 = region?.x0 ?? 0;
  const ry0 = region?.y0 ?? 0;
  const rx1 = rx0 + (region?.width ?? 0);
  const ry1 = ry0 + (region?.height ?? 0);
  const mask = region?.mask ?? null;
  const gains = region?.gains ?? null;
  const regionWidth = region?.width ?? 0;
  for (let y = 0; y < height; y++) {
    const rowInRegion = region !== null && y >= ry0 && y < ry1;
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      let face = -1;
      if (rowInRegion && x >= rx0 && x < rx1) {
        const k = (y - ry0) * regionWidth + (x - rx0);
        if (mask === null || mask[k] === 1) face = k;
      }
      let vr: number;
      let vg: number;
      let vb: number;
      let nr: number;
      let ng: number;
      let nb: number;
      if (face >= 0 && gains !== null) {
        const gr = gains[3 * face] ?? 0;
        const gg = gains[3 * face + 1] ?? 0;
        const gb = gains[3 * face + 2] ?? 0;
        const ir = (SRGB_TO_LINEAR[r] ?? 0) * gr + 0.5;
        const ig = (SRGB_TO_LINEAR[g] ?? 0) * gg + 0.5;
        const ib = (SRGB_TO_LINEAR[b] ?? 0) * gb + 0.5;
        vr = encode[ir >= ENCODE_STEPS ? ENCODE_STEPS : ir | 0] ?? 255;
        vg = encode[ig >= ENCODE_STEPS ? ENCODE_STEPS : ig | 0] ?? 255;
        vb = encode[ib >= ENCODE_STEPS ? ENCODE_STEPS : ib | 0] ?? 255;
        // The gains are the linear light's ratio after / before, scaled to the table's index.
        nr = addedNoise(noise, gr / ENCODE_STEPS);
        ng = addedNoise(noise, gg / ENCODE_STEPS);
        nb = addedNoise(noise, gb / ENCODE_STEPS);
      } else if (face >= 0) {
        vr = i0[r] ?? 0;
        vg = i1[g] ?? 0;
        vb = i2[b] ?? 0;
        nr = in0[r] ?? 0;
        ng = in1[g] ?? 0;
        nb = in2[b] ?? 0;
      } else {
        vr = o0[r] ?? 0;
        vg = o1[g] ?? 0;
        vb = o2[b] ?? 0;
        nr = on0[r] ?? 0;
        ng = on1[g] ?? 0;
        nb = on2[b] ?? 0;
      }
      if (nr > 0 || ng > 0 || nb > 0) {
        // Two 32-bit words, three 16-bit table indices.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        const first = state >>> 0;
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        vr += nr * (table[first & mask16] ?? 0);
        vg += ng * (table[first >>> 16] ?? 0);
        vb += nb * (table[state & mask16] ?? 0);
      }
      out[i] = vr;
      out[i + 1] = vg;
      out[i + 2] = vb;
      out[i + 3] = data[i + 3] ?? 255;
    }
  }
  // Uint8ClampedArray rounds and clamps on store; hand back the caller's array type.
  return {
    width,
    height,
    data: data instanceof Uint8ClampedArray ? out : new Uint8Array(out.buffer),
  };
}
