import type { LogisticCoefficients } from "@lumen/core";
import { Matrix, solve } from "ml-matrix";

// Newton's method converges in under ten steps on these problems; the cap only bounds a
// pathological input, and the step tolerance is far below any threshold's resolution.
const MAX_ITERATIONS = 50;
const TOLERANCE = 1e-10;

function column(rows: readonly (readonly number[])[], j: number): number[] {
  return rows.map((row) => row[j] ?? Number.NaN);
}

/**
 * Fits `P(y = 1 | x) = σ(b + Σ wⱼ (xⱼ − meanⱼ) / stdⱼ)` by maximum likelihood with an L2
 * penalty `l2 · Σ wⱼ²` (the intercept is not penalised), by Newton's method (iteratively
 * reweighted least squares) with ml-matrix's solver. Standardising first makes one `l2` mean
 * the same for every feature. npm's `ml-logistic-regression` was not used: it fits by
 * fixed-step gradient ascent with neither an intercept nor a penalty.
 *
 * @throws {RangeError} for no rows, rows of different lengths, a non-finite value, labels other
 * than 0 and 1, a single class, or an `l2` that is negative or not finite.
 * @example
 * ```ts
 * const fit = fitLogistic([[0.1], [2.3], [1.9]], [0, 1, 1], 1);
 * ```
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  l2: number,
): LogisticCoefficients {
  const n = rows.length;
  const d = rows[0]?.length ?? 0;
  if (n === 0 || d === 0) throw new RangeError("fitLogistic needs at least one row and feature");
  if (labels.length !== n) throw new RangeError("fitLogistic needs one label per row");
  if (!(l2 >= 0 && Number.isFinite(l2))) {
    throw new RangeError("l2 must be a finite non-negative number");
  }
  for (const row of rows) {
    if (row.length !== d || !row.every(Number.isFinite)) {
      throw new RangeError("Every row needs the same number of finite features");
    }
  }
  if (!labels.every((y) => y === 0 || y === 1)) throw new RangeError("Labels must be 0 or 1");
  if (labels.every((y) => y === labels[0])) throw new RangeError("fitLogistic needs both classes");

  const means: number[] = [];
  const stds: number[] = [];
  for (let j = 0; j < d; j++) {
    const values = column(rows, j);
    const mean = values.reduce((a, b) => a + b, 0) / n;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    means.push(mean);
    // A constant feature stays 0 after standardising; its weight is then held at 0 by the penalty.
    stds.push(variance > 0 ? Math.sqrt(variance) : 1);
  }
  // Design matrix: an intercept column of ones, then the standardised features.
  const x = new Matrix(
    rows.map((row) => [1, ...row.map((v, j) => (v - (means[j] ?? 0)) / (stds[j] ?? 1))]),
  );
  const y = Matrix.columnVector([...labels]);
  let beta = Matrix.zeros(d + 1, 1);
  const penalty = Matrix.eye(d + 1, d + 1).mul(l2);
  penalty.set(0, 0, 0);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const p = Matrix.columnVector(
      x
        .mmul(beta)
        .getColumn(0)
        .map((z) => 1 / (1 + Math.exp(-z))),
    );
    const weighted = x.clone();
    for (let i = 0; i < n; i++) {
      const pi = p.get(i, 0);
      weighted.mulRow(i, Math.max(pi * (1 - pi), 1e-12));
    }
    const hessian = x.transpose().mmul(weighted).add(penalty);
    const gradient = x.transpose().mmul(Matrix.sub(y, p)).sub(penalty.mmul(beta));
    const step = solve(hessian, gradient);
    beta = beta.add(step);
    if (step.norm() < TOLERANCE) break;
  }
  const coefficients = beta.getColumn(0);
  return { means, stds, weights: coefficients.slice(1), intercept: coefficients[0] ?? 0 };
}
