import type { FlashColour } from "@lumen/protocol";
import type { Rgb } from "./rgb.ts";

/**
 * Smallest chromaticity shift (Euclidean, in `r, g, b` over `r + g + b`) of the skin from its
 * pre-flash baseline that counts as a response. Without flashes the skin chroma of the genuine
 * videos wanders from its median by p95 0.0025 (d19) to 0.013 (d3, with 20° head turns), max
 * 0.016; a 15 % screen-colour blend on the face region moves it by 0.05–0.08. 0.02 sits above
 * every natural drift measured and well below the simulated response.
 */
export const FLASH_MIN_CHROMA_SHIFT = 0.02;
/**
 * Smallest cosine between the observed and the expected chroma shift for a flash to count as
 * answered in the right direction. 0.5 is a 60° cone: a red flash must move the skin towards
 * red, not merely change it. Natural drift is uncorrelated with the random colours, so its
 * cosines centre on 0 (measured: see `evaluate-flash-response.test.ts`).
 */
export const FLASH_MIN_COSINE = 0.5;
/** Fraction of flashes that must be answered (standard policy). */
export const FLASH_MIN_RESPONDING_FRACTION = 0.75;
/**
 * Camera frames lag the screen: exposure, readout and the capture pipeline take one to three
 * frame periods at 30 fps. Frames within this time after a colour change still show the old
 * colour, so a flash window opens (and closes) this much later than `flashesShownAt`.
 */
export const FLASH_CAMERA_LAG_MS = 80;

/** Options of {@link evaluateFlashResponse}. */
export interface FlashResponseOptions {
  readonly minChromaShift?: number;
  readonly minCosine?: number;
  readonly minRespondingFraction?: number;
  readonly cameraLagMs?: number;
}

/** One frame as the flash evaluator needs it. */
export interface FlashFrame {
  readonly capturedAt: number;
  /** Mean skin colour, or `null` when the frame had no usable face. */
  readonly skin: Rgb | null;
}

/** How the skin answered one flash. Pure data. */
export interface FlashOutcome {
  readonly colour: FlashColour;
  /** Face frames inside the flash's window. */
  readonly frames: number;
  /** Length of the observed chroma shift from baseline. */
  readonly shift: number;
  /** Cosine between observed and expected shift, -1..1 (`NaN` without frames). */
  readonly cosine: number;
  /**
   * The observed shift projected on the expected direction (`shift × cosine`): how far the skin
   * moved towards the flashed colour, negative when away from it (`NaN` without frames). Only
   * reported; `responded` is decided on `shift` and `cosine`.
   */
  readonly response: number;
  readonly responded: boolean;
}

/** Result of {@link evaluateFlashResponse}. Pure data. */
export interface FlashResponseResult {
  readonly passed: boolean;
  readonly baselineFrames: number;
  readonly flashes: readonly FlashOutcome[];
  /** Mean cosine over flashes (a flash without frames counts as 0). */
  readonly meanCosine: number;
  /** Fraction of flashes answered, 0..1. */
  readonly respondingFraction: number;
}

function flashChroma(colour: FlashColour): [number, number, number] {
  const r = parseInt(colour.slice(1, 3), 16);
  const g = parseInt(colour.slice(3, 5), 16);
  const b = parseInt(colour.slice(5, 7), 16);
  const sum = r + g + b;
  // Expected direction: from neutral grey towards the flashed colour's chromaticity.
  return [r / sum - 1 / 3, g / sum - 1 / 3, b / sum - 1 / 3];
}

/**
 * Checks that the face's colour follows the flash sequence in time: the skin's chromaticity in
 * each flash window (from `shownAt + cameraLagMs` to the end of that flash, shifted by the
 * same lag) is compared with its baseline from the frames before the first flash. A flash is
 * answered when the shift is large enough and points towards the flashed colour. A replayed
 * video, a photo or a face rendered without the screen's light does not change colour with a
 * sequence drawn at random by the server.
 *
 * Fails closed: no baseline frame, or a `shownAt` list that does not match the flashes.
 *
 * @example
 * ```ts
 * const result = evaluateFlashResponse(challenge.flashes, claims.flashesShownAt, frames);
 * if (!result.passed) reasons.push("FLASH_RESPONSE_MISSING");
 * ```
 */
export function evaluateFlashResponse(
  flashes: readonly { readonly colour: FlashColour; readonly durationMs: number }[],
  shownAt: readonly number[],
  frames: readonly FlashFrame[],
  options: FlashResponseOptions = {},
): FlashResponseResult {
  const minShift = options.minChromaShift ?? FLASH_MIN_CHROMA_SHIFT;
  const minCosine = options.minCosine ?? FLASH_MIN_COSINE;
  const minFraction = options.minRespondingFraction ?? FLASH_MIN_RESPONDING_FRACTION;
  const lag = options.cameraLagMs ?? FLASH_CAMERA_LAG_MS;
  if (flashes.length === 0) {
    return { passed: true, baselineFrames: 0, flashes: [], meanCosine: 1, respondingFraction: 1 };
  }

  const firstShown = shownAt[0] ?? Number.NEGATIVE_INFINITY;
  const base = [0, 0, 0];
  let baselineFrames = 0;
  for (const frame of frames) {
    if (!frame.skin || frame.capturedAt >= firstShown + lag) continue;
    addChroma(base, frame.skin);
    baselineFrames++;
  }
  const valid = shownAt.length === flashes.length && baselineFrames > 0;
  for (let k = 0; k < 3; k++) base[k] = (base[k] ?? 0) / Math.max(1, baselineFrames);

  const window = [0, 0, 0];
  const outcomes = flashes.map((flash, i): FlashOutcome => {
    const start = (shownAt[i] ?? Number.NaN) + lag;
    const end =
      Math.min(shownAt[i + 1] ?? Infinity, (shownAt[i] ?? Number.NaN) + flash.durationMs) + lag;
    window.fill(0);
    let count = 0;
    for (const frame of frames) {
      if (!frame.skin || !(frame.capturedAt >= start && frame.capturedAt < end)) continue;
      addChroma(window, frame.skin);
      count++;
    }
    if (count === 0 || !valid) {
      return {
        colour: flash.colour,
        frames: count,
        shift: 0,
        cosine: Number.NaN,
        response: Number.NaN,
        responded: false,
      };
    }
    const expected = flashChroma(flash.colour);
    let dot = 0;
    let observedSq = 0;
    let expectedSq = 0;
    for (let k = 0; k < 3; k++) {
      const observed = (window[k] ?? 0) / count - (base[k] ?? 0);
      const e = expected[k] ?? 0;
      dot += observed * e;
      observedSq += observed * observed;
      expectedSq += e * e;
    }
    const shift = Math.sqrt(observedSq);
    const cosine = shift > 0 ? dot / (shift * Math.sqrt(expectedSq)) : 0;
    return {
      colour: flash.colour,
      frames: count,
      shift,
      cosine,
      response: shift * cosine,
      responded: shift >= minShift && cosine >= minCosine,
    };
  });
  const responding = outcomes.filter((outcome) => outcome.responded).length;
  const meanCosine =
    outcomes.reduce((sum, o) => sum + (Number.isNaN(o.cosine) ? 0 : o.cosine), 0) / outcomes.length;
  const respondingFraction = responding / outcomes.length;
  return {
    passed: valid && respondingFraction >= minFraction && meanCosine >= minCosine,
    baselineFrames,
    flashes: outcomes,
    meanCosine,
    respondingFraction,
  };
}

function addChroma(sum: number[], skin: Rgb): void {
  const total = skin.r + skin.g + skin.b;
  if (total <= 0) return;
  sum[0] = (sum[0] ?? 0) + skin.r / total;
  sum[1] = (sum[1] ?? 0) + skin.g / total;
  sum[2] = (sum[2] ?? 0) + skin.b / total;
}
