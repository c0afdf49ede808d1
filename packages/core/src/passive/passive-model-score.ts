import { LumenError } from "@lumen/protocol";
import type { PassiveModel } from "./passive-model.ts";

// Probabilities are clamped before the logit so a saturated 0 or 1 stays finite.
const PROBABILITY_EPSILON = 1e-6;

/**
 * Log-odds of a probability, clamped to ±13.8 (`p` within 1e-6 of 0 or 1).
 *
 * @example
 * ```ts
 * logOdds(0.5); // 0
 * ```
 */
export function logOdds(p: number): number {
  const q = Math.min(1 - PROBABILITY_EPSILON, Math.max(PROBABILITY_EPSILON, p));
  return Math.log(q / (1 - q));
}

function value(output: ArrayLike<number>, index: number, model: PassiveModel): number {
  const v = output[index];
  if (v === undefined || !Number.isFinite(v)) {
    throw new LumenError("INFERENCE_FAILED", `${model.id} gave no finite output ${index}`);
  }
  return v;
}

/**
 * A passive model's score for one face: log-odds that it is bona fide (above 0 reads as real),
 * read from its raw output as its {@link PassiveModel.output} says.
 *
 * @throws {LumenError} `INFERENCE_FAILED` when the output has the wrong length or a value that
 * is not finite (or a probability outside 0..1).
 * @example
 * ```ts
 * passiveModelScore([2.1, -1.3], minifasnet); // 3.4
 * ```
 */
export function passiveModelScore(output: ArrayLike<number>, model: PassiveModel): number {
  const spec = model.output;
  const expected =
    spec.kind === "sigmoid"
      ? 1
      : spec.kind === "softmax"
        ? spec.classes
        : Math.max(spec.real, spec.attack) + 1;
  if (output.length !== expected) {
    throw new LumenError(
      "INFERENCE_FAILED",
      `${model.id} gave ${output.length} output values, expected ${expected}`,
    );
  }
  if (spec.kind === "logit-margin") {
    return value(output, spec.real, model) - value(output, spec.attack, model);
  }
  if (spec.kind === "sigmoid") {
    const p = value(output, 0, model);
    if (p < 0 || p > 1)
      throw new LumenError("INFERENCE_FAILED", `${model.id} gave ${p}, not a probability`);
    return spec.positive === "real" ? logOdds(p) : -logOdds(p);
  }
  // log-sum-exp of the other classes, shifted by their maximum for stability.
  const real = value(output, spec.real, model);
  let max = -Infinity;
  for (let i = 0; i < spec.classes; i++)
    if (i !== spec.real) max = Math.max(max, value(output, i, model));
  let sum = 0;
  for (let i = 0; i < spec.classes; i++)
    if (i !== spec.real) sum += Math.exp(value(output, i, model) - max);
  return real - (max + Math.log(sum));
}
