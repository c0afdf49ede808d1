import { describe, expect, it } from "vitest";
import { fusePassive } from "@lumen/core";
import { fitLogistic } from "../src/fusion/fit-logistic.ts";
import { logisticSample } from "./support/logistic-sample.ts";

// The fit's weights apply to standardised features; these are the raw features' coefficients.
function rawCoefficients(fit: ReturnType<typeof fitLogistic>): {
  intercept: number;
  coefficients: number[];
} {
  const coefficients = fit.weights.map((w, j) => w / (fit.stds[j] ?? 1));
  const shift = coefficients.reduce((sum, c, j) => sum + c * (fit.means[j] ?? 0), 0);
  return { intercept: fit.intercept - shift, coefficients };
}

describe("fitLogistic", () => {
  it("recovers the coefficients of the logistic model a large sample was drawn from", () => {
    const truth = { intercept: -0.5, coefficients: [1.5, -2, 0], means: [1, -3, 2] };
    const { rows, labels } = logisticSample(20_000, { ...truth, seed: 11 });
    const raw = rawCoefficients(fitLogistic(rows, labels, 0));
    // Standard errors at n = 20,000 are about 0.02–0.04 here: 0.1 is several of them.
    expect(Math.abs(raw.intercept - truth.intercept)).toBeLessThan(0.1);
    for (const [j, c] of truth.coefficients.entries()) {
      expect(Math.abs((raw.coefficients[j] ?? Number.NaN) - c), `coefficient ${j}`).toBeLessThan(
        0.1,
      );
    }
  });

  it("shrinks the weights as l2 grows, a little on a large sample", () => {
    const { rows, labels } = logisticSample(5_000, {
      intercept: 0,
      coefficients: [2, -1],
      seed: 4,
    });
    const norm = (l2: number): number => Math.hypot(...fitLogistic(rows, labels, l2).weights);
    const norms = [0, 1, 100, 10_000].map(norm);
    for (let i = 1; i < norms.length; i++) expect(norms[i]).toBeLessThan(norms[i - 1] ?? 0);
    expect(norms[1]).toBeGreaterThan(0.99 * (norms[0] ?? 0));
  });

  it("standardises each feature by its mean and population standard deviation", () => {
    const fit = fitLogistic(
      [
        [1, 10],
        [3, 10],
        [5, 40],
        [7, 40],
      ],
      [0, 1, 0, 1],
      1,
    );
    expect(fit.means).toEqual([4, 25]);
    expect(fit.stds[0]).toBeCloseTo(Math.sqrt(5), 12);
    expect(fit.stds[1]).toBe(15);
  });

  it("never penalises the intercept: a huge l2 leaves the class prior's log-odds", () => {
    const { rows, labels } = logisticSample(500, { intercept: 1, coefficients: [3, -1], seed: 5 });
    const fit = fitLogistic(rows, labels, 1e12);
    const prior = labels.filter((y) => y === 1).length / labels.length;
    for (const w of fit.weights) expect(Math.abs(w)).toBeLessThan(1e-6);
    expect(fit.intercept).toBeCloseTo(Math.log(prior / (1 - prior)), 6);
  });

  it("stays finite and ranks correctly on separable data when l2 > 0", () => {
    const rows = [[0], [1], [2], [3], [10], [11], [12], [13]];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1];
    const fit = fitLogistic(rows, labels, 0.1);
    for (const v of [...fit.weights, fit.intercept]) expect(Number.isFinite(v)).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
    expect(fit.weights[0]).toBeLessThan(100);
    expect(fusePassive([3], fit)).toBeLessThan(0);
    expect(fusePassive([10], fit)).toBeGreaterThan(0);
  });

  it.each([
    ["no rows", [], [], 1, /at least one row/],
    ["rows without features", [[], []], [0, 1], 1, /at least one row and feature/],
    ["one label short", [[1], [2]], [0], 1, /one label per row/],
    ["ragged rows", [[1, 2], [3]], [0, 1], 1, /same number of finite features/],
    ["a NaN feature", [[1], [Number.NaN]], [0, 1], 1, /finite features/],
    ["an infinite feature", [[1], [Number.POSITIVE_INFINITY]], [0, 1], 1, /finite features/],
    ["a label of 2", [[1], [2]], [0, 2], 1, /Labels must be 0 or 1/],
    ["a label of 0.5", [[1], [2]], [0, 0.5], 1, /Labels must be 0 or 1/],
    ["one class", [[1], [2]], [1, 1], 1, /both classes/],
    ["a negative l2", [[1], [2]], [0, 1], -1, /l2 must be a finite non-negative number/],
    ["a NaN l2", [[1], [2]], [0, 1], Number.NaN, /l2 must be/],
    ["an infinite l2", [[1], [2]], [0, 1], Number.POSITIVE_INFINITY, /l2 must be/],
  ])("refuses %s with a RangeError", (_, rows, labels, l2, message) => {
    expect(() => fitLogistic(rows, labels, l2)).toThrow(RangeError);
    expect(() => fitLogistic(rows, labels, l2)).toThrow(message);
  });
});
