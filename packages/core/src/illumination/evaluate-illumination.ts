import type { ILLUMINATION_REASONS, IlluminationStep } from "@lumen/protocol";
import { FACE_REGION_NAMES, type FaceRegionName } from "./face-regions.ts";
import { illuminationStepAt, validIlluminationSchedule } from "./illumination-step-at.ts";
import { colourToLinear, type LinearRgb } from "./linear-light.ts";
import type { MeasuredLight } from "./measure-frame-light.ts";
import {
  halfIrradiance,
  SCREEN_GEOMETRY,
  type HalfIrradiance,
  type ScreenGeometry,
  type Vec3,
} from "./screen-light.ts";

/**
 * FLASH_RESPONSE_MISSING below this mean relative face response over the lit steps (the face's
 * linear light over its light in the dark steps, minus 1, averaged over regions and channels).
 * Physics (`shared/notes/screen-reflection-physics.md`): a full white screen is a fifth to a
 * quarter of an office's light, so a primary colour raises its own channel by ≈ 0.2–0.3 and the
 * three-channel mean by ≈ 0.07–0.1; in a dim room several times that; by a sunny window a few
 * per cent or less, where the check cannot work and the no-flash path must take over. 0.02
 * leaves the office case a 3–5× margin and sits above the 1–2 % that head motion and auto
 * exposure move a region's light between frames.
 */
export const ILLUMINATION_MIN_RESPONSE = 0.02;
/**
 * REFLECTION_TIMING below this correlation of the face's response with the sequence at the
 * best lag (the mean over channels of Pearson's r over frames × regions). A face lit by the
 * screen reads 0.9–0.99 on the synthetic renders of `illumination.test.ts` (0.5–1 % noise,
 * exposure blur at step changes); a stream that changes colour at random, or one that answers
 * with the wrong colours, reads under 0.3.
 */
export const ILLUMINATION_MIN_CORRELATION = 0.5;
/**
 * REFLECTION_TIMING outside these camera lags (ms): how much later than the SDK's paint time
 * the light shows in frames. A genuine capture adds the display's latency (one or two refreshes,
 * 8–35 ms, after the `requestAnimationFrame` time the SDK reports) and, where the browser gives
 * no capture timestamp, one to three frame periods of pipeline (33–100 ms at 30 fps); a frame
 * stamped at exposure start can show a change up to one exposure (≈ 33 ms) early. Measured in
 * two CI runs: genuine captures (the simulated subject in Chromium, 40 ms of simulated camera lag
 * then the canvas pipeline; the server-side plans, 50 ms) read 35–95 ms, and up to 130 ms on a
 * machine overloaded by other jobs; a 3D relight 150 ms late on top of the plans' 50 ms read
 * 150–210 ms on moving video (the lag estimate errs by up to 50 ms there), 300 ms late 310–370 ms
 * (`test/bench/illumination-margins.ts` and the attack suite). A bound of 160 let one late relight
 * through in CI, so at most 120 ms: 25 ms above the genuine readings, 30 ms below the earliest
 * late one. Weak spot: a genuine camera pipeline slower than 120 ms (an overloaded device, or
 * three frames at 30 fps without capture timestamps) is refused.
 *
 * The lower bound protects nothing: the client receives the whole sequence when the session
 * starts, so an injected stream can be lit early or on time at will, and only lateness (a
 * relight that must see the screen change first) is an attack signal. Frames can also be
 * stamped before the paint time the page reports: Chromium stamps a captured canvas frame with
 * the compositor's frame time, and the lab's simulated subject, drawn on the page's own main
 * thread, read its light up to 100 ms before the reported paint in CI. −120 ms keeps those.
 */
export const ILLUMINATION_LAG_MS: { readonly min: number; readonly max: number } = {
  min: -120,
  max: 120,
};
/**
 * REFLECTION_NOT_3D below this `shapeAgreement` (the regression slope of the measured side
 * contrasts on the mesh's predictions). A flat sheet or a tint of the face box reads ≈ 0 (its
 * halves answer alike), swapped halves ≈ −1, a face lit by the screen ≈ 1; real faces read
 * above 1 where the mesh's shallow depth flattens its normals. The noise is a moving head:
 * each region's colour drifts by about as much as the screen's side-to-side difference.
 * Measured on the attack lab's cooperative subject simulated with the server's own sequence
 * (`test/bench/illumination-lab-subject.ts`: the most neutral 1.2 s of each of the four
 * genuine videos played back and forth, six frames a step, 16 draws each): a 3D relight read
 * 0.62–1.56 (means 1.06–1.15, sd 0.12–0.26), a flat relight of the same frames −0.35–0.43
 * (means −0.06–0.07, sd 0.09–0.20); the stills, which do not move, read ≈ 1.1 and ≈ 0. 0.5
 * lies midway, 2 or more of the worst video's standard deviations from either side. With
 * the earlier sequence (each split two steps from its mirror) the same simulation spread
 * 0.28–0.52 (3D) and 0.19–0.41 (flat), with three frames a step or six alike, and a flat
 * relight of d3 passed in CI.
 */
export const ILLUMINATION_MIN_SHAPE_AGREEMENT = 0.5;
/**
 * REFLECTION_NOT_3D above this `shapeAgreement`: a side contrast five times what a face's shape
 * allows comes from a stream that paints each half of the face box in the half's colour, not
 * from light. The mesh's shallow depth makes real faces read up to about twice the prediction.
 */
export const ILLUMINATION_MAX_SHAPE_AGREEMENT = 5;
/**
 * REFLECTION_UNIFORM above this `backgroundRatio` (the background's response over the face's).
 * Inverse square: a wall 1.5 m behind a face 0.4 m from the screen gets (0.4/1.5)² ≈ 7 % of the
 * face's light from the screen; a tint of the whole frame answers as strongly behind as on the
 * face, ≈ 1. 0.5 leaves both sides a wide margin (a near wall at 0.6 m still reads ≈ 0.45).
 */
export const ILLUMINATION_MAX_BACKGROUND_RATIO = 0.5;
/**
 * The camera lags (ms) tried when aligning the response with the sequence: wider than
 * {@link ILLUMINATION_LAG_MS} on both sides, so a late relight is found late rather than
 * matched badly at an allowed lag, on a 10 ms grid (a third of a 30 fps frame period).
 */
export const ILLUMINATION_LAG_SEARCH_MS: {
  readonly min: number;
  readonly max: number;
  readonly step: number;
} = { min: -200, max: 400, step: 10 };
/**
 * Lags whose correlation is within this of the best are as good as the best. Frames sampled
 * sparsely give the same step to every frame over a whole range of lags, and so the same
 * correlation: the lag reported is the one of that range nearest the allowed bounds. Only such
 * exact ties are merged (this is floating-point slack): in the synthetic renders a relight
 * 150 ms late aligns at an allowed lag only 0.001–0.005 worse than at its own, so any real
 * tolerance would let it through.
 */
export const ILLUMINATION_CORRELATION_TIE = 1e-9;

/** The illumination checks' bounds; the wire's `thresholds.illumination`. Pure data. */
export interface IlluminationThresholds {
  readonly minResponse: number;
  readonly minCorrelation: number;
  readonly lagMs: { readonly min: number; readonly max: number };
  readonly minShapeAgreement: number;
  readonly maxBackgroundRatio: number;
}

/** Options of {@link evaluateIllumination}; every field defaults to the named constant. */
export interface IlluminationOptions extends Partial<IlluminationThresholds> {
  readonly maxShapeAgreement?: number;
  readonly lagSearchMs?: { readonly min: number; readonly max: number; readonly step: number };
  readonly geometry?: ScreenGeometry;
}

/** One frame as {@link evaluateIllumination} reads it. */
export interface IlluminationFrame {
  readonly capturedAt: number;
  /** `null` for a frame without a face or whose regions left the frame. */
  readonly light: MeasuredLight | null;
}

/** The reasons {@link evaluateIllumination} can give. */
export type IlluminationReason = (typeof ILLUMINATION_REASONS)[number];

/** One step's outcome. Pure data; `NaN` where unmeasured. */
export interface IlluminationStepOutcome {
  /** Frames (with light) assigned to the step at the chosen lag. */
  readonly frames: number;
  /** Mean relative response over the step's frames, regions and channels. */
  readonly response: number;
  /** Split steps: measured and predicted side contrast; `null` for full steps or when unmeasurable. */
  readonly sideContrast: { readonly observed: number; readonly predicted: number } | null;
}

/** Result of {@link evaluateIllumination}. Pure data; `NaN` where unmeasured. */
export interface IlluminationResult {
  readonly passed: boolean;
  /** The failed checks; FLASH_RESPONSE_MISSING alone when there was nothing to judge. */
  readonly reasons: readonly IlluminationReason[];
  readonly lagMs: number;
  readonly correlation: number;
  readonly meanResponse: number;
  readonly shapeAgreement: number;
  readonly backgroundRatio: number;
  /** One per step, in order. */
  readonly steps: readonly IlluminationStepOutcome[];
  /** For each input frame, the step it shows at `lagMs` (at lag 0 when no lag was measured). */
  readonly frameSteps: readonly (number | null)[];
}

const DARK = "#000000";
/** Lit-step frames needed for any verdict but "missing". */
const MIN_LIT_FRAMES = 2;
/** A region answering a split step with less than this (of the expected) has no side balance. */
const MIN_SPLIT_RESPONSE = 0.1;
/** Predicted contrasts whose root mean square is under this give no shape to compare. */
const MIN_PREDICTED_CONTRAST = 0.01;
/** A reference channel darker than this (linear) is treated as this, not divided by. */
const MIN_REFERENCE = 1e-3;

const isDark = (step: IlluminationStep): boolean =>
  step.colours[0] === DARK && step.colours[1] === DARK;

interface Sample {
  readonly index: number;
  readonly light: MeasuredLight;
  /** Half-screen irradiance of each region, from its normal in this frame. */
  readonly halves: Readonly<Record<FaceRegionName, HalfIrradiance>>;
}

function expected(step: IlluminationStep, w: HalfIrradiance): LinearRgb {
  const a = colourToLinear(step.colours[0]);
  const b = colourToLinear(step.colours[1]);
  const [wa, wb] = step.pattern === "top-bottom" ? [w.top, w.bottom] : [w.left, w.right];
  return [wa * a[0] + wb * b[0], wa * a[1] + wb * b[1], wa * a[2] + wb * b[2]];
}

function meanRgb(list: readonly LinearRgb[]): LinearRgb | null {
  if (list.length === 0) return null;
  let r = 0;
  let g = 0;
  let b = 0;
  for (const v of list) {
    r += v[0];
    g += v[1];
    b += v[2];
  }
  return [r / list.length, g / list.length, b / list.length];
}

function relative(value: LinearRgb, reference: LinearRgb): LinearRgb {
  return [
    value[0] / Math.max(MIN_REFERENCE, reference[0]) - 1,
    value[1] / Math.max(MIN_REFERENCE, reference[1]) - 1,
    value[2] / Math.max(MIN_REFERENCE, reference[2]) - 1,
  ];
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] ?? 0;
    my += y[i] ?? 0;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - mx;
    const dy = (y[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!(syy > 1e-12)) return Number.NaN;
  return sxx > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

interface Alignment {
  /** Step of each sample, or `null` outside the sequence. */
  readonly stepOf: readonly (number | null)[];
  /** Per region, its mean linear light over the dark steps' frames. */
  readonly reference: Readonly<Record<FaceRegionName, LinearRgb>> | null;
}

function align(
  samples: readonly Sample[],
  steps: readonly IlluminationStep[],
  shownAt: readonly number[],
  frames: readonly IlluminationFrame[],
  lagMs: number,
): Alignment {
  const stepOf = samples.map((s) =>
    illuminationStepAt(steps, shownAt, frames[s.index]?.capturedAt ?? Number.NaN, lagMs),
  );
  const dark = samples.filter((_, k) => {
    const i = stepOf[k];
    const step = i === null || i === undefined ? undefined : steps[i];
    return step !== undefined && isDark(step);
  });
  if (dark.length === 0) return { stepOf, reference: null };
  const reference = {} as Record<FaceRegionName, LinearRgb>;
  for (const name of FACE_REGION_NAMES) {
    reference[name] = meanRgb(dark.map((s) => s.light.regions[name].rgb)) ?? [0, 0, 0];
  }
  return { stepOf, reference };
}

/** One region of one frame: its measured relative light and the screen's light on it. */
interface Pair {
  readonly q: LinearRgb;
  readonly e: LinearRgb;
}

/** Solves the 3×3 system `m·x = v` (Cramer's rule); `null` when it is singular. */
function solve3(m: readonly LinearRgb[], v: LinearRgb): LinearRgb | null {
  const [c0, c1, c2] = [0, 1, 2].map(
    (j) => [m[0]?.[j] ?? 0, m[1]?.[j] ?? 0, m[2]?.[j] ?? 0] as const,
  ) as [LinearRgb, LinearRgb, LinearRgb];
  const det = det3(c0, c1, c2);
  if (!(Math.abs(det) > 1e-12)) return null;
  return [det3(v, c1, c2) / det, det3(c0, v, c2) / det, det3(c0, c1, v) / det];
}

/**
 * Fits `q_c ≈ g_c·e_c + δ` over all pairs: `g` per channel (the screen's strength against the
 * ambient light, whose colour scales each channel differently) and `δ` per pair (a change of
 * the region's brightness in every channel alike: the head moving in the room's light, the
 * camera's auto exposure). What the screen did is then `q − δ`; what the room did is `δ`.
 * Least squares with `δ` eliminated (each pair centred across its channels): the normal
 * equations `Σ Dᵢ P Dᵢ · g = Σ Dᵢ P qᵢ`, `Dᵢ = diag(eᵢ)`, `P = I − 11ᵀ/3`.
 */
function fitGains(pairs: readonly Pair[]): { gains: LinearRgb; offsets: number[] } {
  const m: [number, number, number][] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const v: [number, number, number] = [0, 0, 0];
  for (const { q, e } of pairs) {
    const qMean = (q[0] + q[1] + q[2]) / 3;
    for (let r = 0; r < 3; r++) {
      v[r] = (v[r] ?? 0) + (e[r] ?? 0) * ((q[r] ?? 0) - qMean);
      for (let c = 0; c < 3; c++) {
        const p = (r === c ? 1 : 0) - 1 / 3;
        (m[r] as number[])[c] = (m[r]?.[c] ?? 0) + (e[r] ?? 0) * p * (e[c] ?? 0);
      }
    }
  }
  // A channel the sequence never lit has no equation of its own: pin its gain to 0.
  for (let c = 0; c < 3; c++) {
    if (!((m[c]?.[c] ?? 0) > 1e-9)) {
      m[c] = [0, 0, 0];
      (m[c] as number[])[c] = 1;
      v[c] = 0;
    }
  }
  const gains = solve3(m, v) ?? [0, 0, 0];
  const offsets = pairs.map(
    ({ q, e }) =>
      (q[0] - gains[0] * e[0] + (q[1] - gains[1] * e[1]) + (q[2] - gains[2] * e[2])) / 3,
  );
  return { gains, offsets };
}

function pairsOf(
  samples: readonly Sample[],
  steps: readonly IlluminationStep[],
  alignment: Alignment,
): Pair[] {
  const { reference, stepOf } = alignment;
  if (!reference) return [];
  const pairs: Pair[] = [];
  samples.forEach((s, k) => {
    const i = stepOf[k];
    const step = i === null || i === undefined ? undefined : steps[i];
    if (!step) return;
    for (const name of FACE_REGION_NAMES) {
      pairs.push({
        q: relative(s.light.regions[name].rgb, reference[name]),
        e: expected(step, s.halves[name]),
      });
    }
  });
  return pairs;
}

/**
 * Mean over channels of Pearson's r between what the screen did to the face (the measured
 * response less its common brightness change, see {@link fitGains}) and what it should have.
 */
function correlate(
  samples: readonly Sample[],
  steps: readonly IlluminationStep[],
  alignment: Alignment,
): number {
  const pairs = pairsOf(samples, steps, alignment);
  if (pairs.length === 0) return Number.NaN;
  const { offsets } = fitGains(pairs);
  const rs = [0, 1, 2]
    .map((c) =>
      pearson(
        pairs.map((p, i) => (p.q[c] ?? 0) - (offsets[i] ?? 0)),
        pairs.map((p) => p.e[c] ?? 0),
      ),
    )
    .filter((r) => !Number.isNaN(r));
  return rs.length === 0 ? Number.NaN : rs.reduce((a, b) => a + b, 0) / rs.length;
}

function unitMean(normals: readonly Vec3[]): Vec3 {
  let x = 0;
  let y = 0;
  let z = 0;
  for (const n of normals) {
    x += n.x;
    y += n.y;
    z += n.z;
  }
  const norm = Math.hypot(x, y, z) || 1;
  return { x: x / norm, y: y / norm, z: z / norm };
}

/** The determinant of the 3×3 matrix with columns `a`, `b`, `c`. */
function det3(a: LinearRgb, b: LinearRgb, c: LinearRgb): number {
  return (
    a[0] * (b[1] * c[2] - b[2] * c[1]) -
    b[0] * (a[1] * c[2] - a[2] * c[1]) +
    c[0] * (a[1] * b[2] - a[2] * b[1])
  );
}

/**
 * Side balance `(α − β) / (α + β)` of `q ≈ α·(g⊙a) + β·(g⊙b) + δ·1`: how much of a region's
 * response came from each half of the screen, after its common brightness change `δ`. Three
 * channels, three unknowns (Cramer's rule); two halves whose colours add up to a grey (red and
 * cyan) or share a direction cannot be told from a brightness change and give `NaN`. The
 * server draws splits of two primaries, where the third channel carries `δ` alone.
 */
function sideBalance(q: LinearRgb, a: LinearRgb, b: LinearRgb, gains: LinearRgb): number {
  const ga: LinearRgb = [a[0] * gains[0], a[1] * gains[1], a[2] * gains[2]];
  const gb: LinearRgb = [b[0] * gains[0], b[1] * gains[1], b[2] * gains[2]];
  const one: LinearRgb = [1, 1, 1];
  const det = det3(ga, gb, one);
  const scale = Math.hypot(...ga) * Math.hypot(...gb) * Math.sqrt(3);
  if (!(Math.abs(det) > 1e-2 * scale)) return Number.NaN;
  const alpha = det3(q, gb, one) / det;
  const beta = det3(ga, q, one) / det;
  if (!(alpha + beta > MIN_SPLIT_RESPONSE)) return Number.NaN;
  return (alpha - beta) / (alpha + beta);
}

function predictedBalance(step: IlluminationStep, w: HalfIrradiance): number {
  const [wa, wb] = step.pattern === "top-bottom" ? [w.top, w.bottom] : [w.left, w.right];
  return (wa - wb) / (wa + wb);
}

/**
 * Whether the face in the frames was lit by the screen's illumination sequence, judged on the
 * physics of light on a 3D face (Tang et al., "Face Flashing", NDSS 2018, and
 * `shared/notes/screen-reflection-physics.md`). Model: a region's linear light is
 * `albedo ⊙ (ambient + k·screenLight(step, normal))`, so its light relative to the dark steps,
 * `q = I / I_dark − 1`, is `k / ambient ⊙ screenLight`: free of the skin's colour.
 *
 * 1. Timing: for each lag of {@link ILLUMINATION_LAG_SEARCH_MS} every frame is given the step
 *    it shows (`illuminationStepAt`), `q` is taken against that lag's dark frames, and its
 *    correlation with `screenLight(step, region normal)` is measured per channel over frames ×
 *    regions. The best lag (ties within {@link ILLUMINATION_CORRELATION_TIE} broken towards the
 *    allowed bounds) must lie in `lagMs` with a correlation of at least `minCorrelation`, else
 *    REFLECTION_TIMING.
 * 2. Response: the mean `q` over the lit steps (every step but the dark ones) must reach
 *    `minResponse`, else FLASH_RESPONSE_MISSING — also for what cannot be judged at all (no
 *    step, a schedule that does not match the steps, no dark frame, fewer than 2 lit frames),
 *    which then is the only reason.
 * 3. Shape, on split steps: after dividing out each channel's gain (the ambient's colour), each
 *    region's mean `q` is fitted as `α·colour₀ + β·colour₁`; its side balance `(α−β)/(α+β)`
 *    gives the step's contrast, left minus right cheek (`left-right`) or forehead minus chin
 *    (`top-bottom`), and the mesh's normals the predicted one through `halfIrradiance`.
 *    `shapeAgreement = Σ w·observed·predicted / Σ w·predicted²`, each step weighted by one over
 *    the number of steps showing the same split the same way round, must lie in
 *    [`minShapeAgreement`, `maxShapeAgreement`], else REFLECTION_NOT_3D: a flat sheet or a tint
 *    of the face box reads ≈ 0, swapped halves < 0, halves painted on the face box ≫ 1.
 * 4. Distance: the background cells' response regressed on the face's (through the origin);
 *    the most background-like cell's slope is `backgroundRatio`, at most `maxBackgroundRatio`
 *    or REFLECTION_UNIFORM (a tint of the whole frame answers behind the face as on it).
 *    Without a background cell in any frame it cannot be judged and fails.
 *
 * @example
 * ```ts
 * const result = evaluateIllumination(challenge.flashes, claims.flashesShownAt,
 *   frames.map((f) => ({ capturedAt: f.capturedAt, light: f.face?.light ?? null })));
 * if (!result.passed) reasons.push(...result.reasons);
 * ```
 */
export function evaluateIllumination(
  steps: readonly IlluminationStep[],
  shownAt: readonly number[],
  frames: readonly IlluminationFrame[],
  options: IlluminationOptions = {},
): IlluminationResult {
  const minResponse = options.minResponse ?? ILLUMINATION_MIN_RESPONSE;
  const minCorrelation = options.minCorrelation ?? ILLUMINATION_MIN_CORRELATION;
  const lagBounds = options.lagMs ?? ILLUMINATION_LAG_MS;
  const minShape = options.minShapeAgreement ?? ILLUMINATION_MIN_SHAPE_AGREEMENT;
  const maxShape = options.maxShapeAgreement ?? ILLUMINATION_MAX_SHAPE_AGREEMENT;
  const maxBackground = options.maxBackgroundRatio ?? ILLUMINATION_MAX_BACKGROUND_RATIO;
  const search = options.lagSearchMs ?? ILLUMINATION_LAG_SEARCH_MS;
  const geometry = options.geometry ?? SCREEN_GEOMETRY;

  const missing = (lagMs = Number.NaN, correlation = Number.NaN): IlluminationResult => ({
    passed: false,
    reasons: ["FLASH_RESPONSE_MISSING"],
    lagMs,
    correlation,
    meanResponse: Number.NaN,
    shapeAgreement: Number.NaN,
    backgroundRatio: Number.NaN,
    steps: steps.map(() => ({ frames: 0, response: Number.NaN, sideContrast: null })),
    frameSteps: frames.map((f) =>
      illuminationStepAt(steps, shownAt, f.capturedAt, Number.isNaN(lagMs) ? 0 : lagMs),
    ),
  });
  if (!validIlluminationSchedule(steps, shownAt)) return missing();

  const samples: Sample[] = [];
  frames.forEach((frame, index) => {
    const { light } = frame;
    if (!light) return;
    const halves = {} as Record<FaceRegionName, HalfIrradiance>;
    for (const name of FACE_REGION_NAMES) {
      halves[name] = halfIrradiance(light.regions[name].normal, geometry);
    }
    samples.push({ index, light, halves });
  });

  // 1. Timing: the lag whose alignment best explains the response.
  const tried: { lagMs: number; correlation: number }[] = [];
  for (let lagMs = search.min; lagMs <= search.max; lagMs += search.step) {
    tried.push({
      lagMs,
      correlation: correlate(samples, steps, align(samples, steps, shownAt, frames, lagMs)),
    });
  }
  const best = Math.max(...tried.map((t) => t.correlation).filter((c) => !Number.isNaN(c)));
  if (!Number.isFinite(best)) return missing();
  // Ties come in runs of neighbouring lags that give every frame the same step: the run's
  // middle is the estimate (its ends only say where the frames stop telling lags apart). Of
  // several runs, the one nearest the allowed bounds.
  const isTie = (i: number): boolean =>
    (tried[i]?.correlation ?? Number.NaN) >= best - ILLUMINATION_CORRELATION_TIE;
  const runs: number[] = [];
  for (let i = 0; i < tried.length; i++) {
    if (!isTie(i)) continue;
    let end = i;
    while (isTie(end + 1)) end++;
    runs.push(((tried[i]?.lagMs ?? 0) + (tried[end]?.lagMs ?? 0)) / 2);
    i = end;
  }
  const outside = (lag: number): number => Math.max(0, lagBounds.min - lag, lag - lagBounds.max);
  const lagMs = runs.reduce((a, b) => (outside(b) < outside(a) ? b : a));
  const alignment = align(samples, steps, shownAt, frames, lagMs);
  const correlation = correlate(samples, steps, alignment);
  const reference = alignment.reference;
  if (!reference) return missing(lagMs, correlation);

  // 2. Response per step, and each channel's gain for the shape fit (see `fitGains`).
  const rel = samples.map((s) => {
    const out = {} as Record<FaceRegionName, LinearRgb>;
    for (const name of FACE_REGION_NAMES) {
      out[name] = relative(s.light.regions[name].rgb, reference[name]);
    }
    return out;
  });
  const byStep: number[][] = steps.map(() => []);
  samples.forEach((_, k) => {
    const i = alignment.stepOf[k];
    if (i !== null && i !== undefined) byStep[i]?.push(k);
  });
  // A channel that does not answer the screen (or that the sequence never lit) gets no gain.
  const gains = fitGains(pairsOf(samples, steps, alignment)).gains.map((g) =>
    Math.max(0, g),
  ) as unknown as LinearRgb;
  const faceMean = (k: number): number => {
    const q = rel[k];
    if (!q) return Number.NaN;
    let sum = 0;
    for (const name of FACE_REGION_NAMES) sum += q[name][0] + q[name][1] + q[name][2];
    return sum / (3 * FACE_REGION_NAMES.length);
  };

  const contrasts: { key: string; observed: number; predicted: number }[] = [];
  const outcomes: IlluminationStepOutcome[] = steps.map((step, i) => {
    const members = byStep[i] ?? [];
    const response =
      members.length === 0
        ? Number.NaN
        : members.reduce((sum, k) => sum + faceMean(k), 0) / members.length;
    if (step.pattern === "full" || members.length === 0) {
      return { frames: members.length, response, sideContrast: null };
    }
    const a = colourToLinear(step.colours[0]);
    const b = colourToLinear(step.colours[1]);
    const balance = (name: FaceRegionName): { observed: number; predicted: number } => {
      const q = meanRgb(members.map((k) => rel[k]?.[name] ?? [0, 0, 0])) ?? [0, 0, 0];
      const normal = unitMean(
        members.map((k) => samples[k]?.light.regions[name].normal ?? { x: 0, y: 0, z: -1 }),
      );
      return {
        observed: sideBalance(q, a, b, gains),
        predicted: predictedBalance(step, halfIrradiance(normal, geometry)),
      };
    };
    const [first, second] =
      step.pattern === "left-right"
        ? [balance("leftCheek"), balance("rightCheek")]
        : [balance("forehead"), balance("chin")];
    const observed = first.observed - second.observed;
    const predicted = first.predicted - second.predicted;
    if (!Number.isFinite(observed) || !Number.isFinite(predicted)) {
      return { frames: members.length, response, sideContrast: null };
    }
    contrasts.push({ key: `${step.pattern} ${step.colours.join()}`, observed, predicted });
    return { frames: members.length, response, sideContrast: { observed, predicted } };
  });

  const litSteps = outcomes.filter((o, i) => {
    const step = steps[i];
    return step !== undefined && !isDark(step) && o.frames > 0;
  });
  const litFrames = litSteps.reduce((sum, o) => sum + o.frames, 0);
  const meanResponse =
    litSteps.length === 0
      ? Number.NaN
      : litSteps.reduce((sum, o) => sum + o.response, 0) / litSteps.length;
  // Each orientation of a split (its pattern and its colours in order) weighs the same in all:
  // a split shown twice counts half each time. A split and its mirror answer with opposite
  // colour contrasts while a region's colour drift and any error of the dark reference keep
  // their sign, so these cancel between the two orientations (up to the drift between the
  // steps, which the server's sequence keeps next to each other).
  let sumObsPred = 0;
  let sumPredSq = 0;
  let sumWeights = 0;
  for (const { key, observed, predicted } of contrasts) {
    const weight = 1 / contrasts.filter((c) => c.key === key).length;
    sumObsPred += weight * observed * predicted;
    sumPredSq += weight * predicted * predicted;
    sumWeights += weight;
  }
  const shapeAgreement =
    sumWeights > 0 && Math.sqrt(sumPredSq / sumWeights) >= MIN_PREDICTED_CONTRAST
      ? sumObsPred / sumPredSq
      : Number.NaN;

  // 4. Background: the most background-like cell's response against the face's.
  const assigned = samples.flatMap((_, k) => (alignment.stepOf[k] === null ? [] : [k]));
  const cellCount = Math.max(0, ...samples.map((s) => s.light.backgroundCells.length));
  let backgroundRatio = Number.NaN;
  for (let cell = 0; cell < cellCount; cell++) {
    const darkCells = assigned.flatMap((k) => {
      const i = alignment.stepOf[k];
      const step = i === null || i === undefined ? undefined : steps[i];
      const value = samples[k]?.light.backgroundCells[cell];
      return step && isDark(step) && value ? [value] : [];
    });
    const cellReference = meanRgb(darkCells);
    if (!cellReference) continue;
    let sxy = 0;
    let sxx = 0;
    let litWithCell = 0;
    for (const k of assigned) {
      const value = samples[k]?.light.backgroundCells[cell];
      if (!value) continue;
      const i = alignment.stepOf[k];
      const step = i === null || i === undefined ? undefined : steps[i];
      if (step && !isDark(step)) litWithCell++;
      const r = relative(value, cellReference);
      const y = (r[0] + r[1] + r[2]) / 3;
      const x = faceMean(k);
      sxy += x * y;
      sxx += x * x;
    }
    if (litWithCell < MIN_LIT_FRAMES || !(sxx > 0)) continue;
    const slope = sxy / sxx;
    backgroundRatio = Number.isNaN(backgroundRatio) ? slope : Math.min(backgroundRatio, slope);
  }

  const frameSteps = frames.map((f) => illuminationStepAt(steps, shownAt, f.capturedAt, lagMs));
  const result = {
    lagMs,
    correlation,
    meanResponse,
    shapeAgreement,
    backgroundRatio,
    steps: outcomes,
    frameSteps,
  };
  if (litFrames < MIN_LIT_FRAMES || !(meanResponse >= minResponse)) {
    return { ...result, passed: false, reasons: ["FLASH_RESPONSE_MISSING"] };
  }
  const reasons: IlluminationReason[] = [];
  if (!(lagMs >= lagBounds.min && lagMs <= lagBounds.max && correlation >= minCorrelation)) {
    reasons.push("REFLECTION_TIMING");
  }
  if (!(shapeAgreement >= minShape && shapeAgreement <= maxShape)) {
    reasons.push("REFLECTION_NOT_3D");
  }
  if (!(backgroundRatio <= maxBackground)) reasons.push("REFLECTION_UNIFORM");
  return { ...result, passed: reasons.length === 0, reasons };
}
