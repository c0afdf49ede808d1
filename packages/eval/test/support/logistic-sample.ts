import { createSeededRandom } from "@lumen/relight";

/**
 * `n` rows drawn from a known logistic model: each feature `N(mean, 1)` (Box–Muller), then
 * `label = 1` with probability `σ(intercept + Σ coefficientⱼ xⱼ)`.
 *
 * @example
 * ```ts
 * const { rows, labels } = logisticSample(1000, { intercept: -1, coefficients: [2], seed: 3 });
 * ```
 */
export function logisticSample(
  n: number,
  model: {
    readonly intercept: number;
    readonly coefficients: readonly number[];
    readonly means?: readonly number[];
    readonly seed: number;
  },
): { rows: number[][]; labels: (0 | 1)[] } {
  const next = createSeededRandom(model.seed);
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const rows: number[][] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const row = model.coefficients.map((_, j) => (model.means?.[j] ?? 0) + normal());
    const z = row.reduce((sum, x, j) => sum + (model.coefficients[j] ?? 0) * x, model.intercept);
    rows.push(row);
    labels.push(next() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { rows, labels };
}
