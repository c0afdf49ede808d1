/** Entries of the noise table: 16 bits of index, two draws from each 32-bit random word. */
export const GAUSSIAN_TABLE_SIZE = 65_536;

// Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9).
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function poly(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, c) => sum * x + c, 0);
}

/** The standard normal distribution's quantile at `p` in (0, 1). */
export function normalQuantile(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

let table: Float32Array | null = null;

/**
 * The standard normal distribution's quantiles at the midpoints of {@link GAUSSIAN_TABLE_SIZE}
 * equal slices: a uniformly random entry is a normal draw (to 1/65 536 of probability), so
 * per-pixel noise costs one table read per value instead of a Box–Muller transform.
 */
export function gaussianTable(): Float32Array {
  table ??= Float32Array.from({ length: GAUSSIAN_TABLE_SIZE }, (_, i) =>
    normalQuantile((i + 0.5) / GAUSSIAN_TABLE_SIZE),
  );
  return table;
}
