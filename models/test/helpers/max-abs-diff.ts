import { expect } from "vitest";

/**
 * The largest absolute difference between two equally long arrays (a length mismatch fails the
 * test), so a tolerance check reports how far off the worst element is.
 *
 * @example
 * ```ts
 * expect(maxAbsDiff(actual, expected)).toBeLessThan(1e-5);
 * ```
 */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((max, value, i) => Math.max(max, Math.abs(value - (b[i] ?? NaN))), 0);
}
