// ISO/IEC 30107-3 error rates on scores where higher means "more bona fide" and a presentation
// is accepted as bona fide when its score is at or above the threshold. A score of -Infinity
// marks a presentation rejected at every threshold (no face, low quality, …): it never counts
// as accepted, however low the threshold. Every function is pure.

/** One operating point: the error rates when accepting scores ≥ `threshold`. */
export interface OperatingPoint {
  readonly threshold: number;
  /** Attack presentations accepted as bona fide, over all attacks. */
  readonly apcer: number;
  /** Bona fide presentations rejected, over all bona fide presentations. */
  readonly bpcer: number;
}

/** BPCER at the most lenient threshold whose APCER does not exceed a target. */
export interface BpcerAtApcer {
  readonly bpcer: number;
  /** The APCER actually reached (≤ the target). */
  readonly apcer: number;
  readonly threshold: number;
}

/** Equal-error rate and ROC AUC of one score. */
export interface ScoreSeparation {
  /** `null` when either class is empty. */
  readonly eer: number | null;
  /** `null` when either class is empty. */
  readonly auc: number | null;
}

function fraction(scores: readonly number[], counts: (score: number) => boolean): number {
  if (scores.length === 0) return Number.NaN;
  let n = 0;
  for (const s of scores) if (counts(s)) n++;
  return n / scores.length;
}

/**
 * APCER: the fraction of attack scores accepted (≥ `threshold`); `NaN` without attacks.
 *
 * @example
 * ```ts
 * apcer([-3, 0.5, 2], 0); // 2 / 3
 * ```
 */
export function apcer(attackScores: readonly number[], threshold: number): number {
  return fraction(attackScores, (s) => s >= threshold);
}

/**
 * BPCER: the fraction of bona fide scores rejected (< `threshold`); `NaN` without any.
 *
 * @example
 * ```ts
 * bpcer([-1, 4, 5], 0); // 1 / 3
 * ```
 */
export function bpcer(bonaFideScores: readonly number[], threshold: number): number {
  return fraction(bonaFideScores, (s) => !(s >= threshold));
}

/**
 * ACER as ISO/IEC 30107-3 defines it: the mean of the worst species' APCER and the BPCER.
 *
 * @example
 * ```ts
 * acer(0.2, 0.1); // 0.15
 * ```
 */
export function acer(apcerMax: number, bpcerValue: number): number {
  return (apcerMax + bpcerValue) / 2;
}

/**
 * Every distinct operating point, from the most lenient threshold (the lowest finite score) to
 * the strictest (+Infinity, nothing accepted): APCER falls and BPCER rises along the list.
 * This is the DET curve.
 *
 * @example
 * ```ts
 * operatingPoints([1, 2], [0]); // thresholds 0, 1, 2, Infinity
 * ```
 */
export function operatingPoints(
  bonaFideScores: readonly number[],
  attackScores: readonly number[],
): OperatingPoint[] {
  const thresholds = [...new Set([...bonaFideScores, ...attackScores])]
    .filter((s) => Number.isFinite(s))
    .sort((a, b) => a - b);
  thresholds.push(Number.POSITIVE_INFINITY);
  return thresholds.map((threshold) => ({
    threshold,
    apcer: apcer(attackScores, threshold),
    bpcer: bpcer(bonaFideScores, threshold),
  }));
}

/**
 * Equal-error rate: where APCER and BPCER cross, linearly interpolated between the two
 * operating points that bracket the crossing on the DET curve. When they never cross (even
 * the most lenient threshold leaves BPCER above APCER, as happens when presentations are
 * rejected at every threshold), the smallest `max(APCER, BPCER)` over all operating points.
 * `null` when either class is empty.
 *
 * @example
 * ```ts
 * equalErrorRate([1, 3], [0, 2]); // 0.5
 * ```
 */
export function equalErrorRate(
  bonaFideScores: readonly number[],
  attackScores: readonly number[],
): number | null {
  if (bonaFideScores.length === 0 || attackScores.length === 0) return null;
  const points = operatingPoints(bonaFideScores, attackScores);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as OperatingPoint;
    const d = p.apcer - p.bpcer;
    if (d === 0) return p.apcer;
    if (d > 0) continue;
    // First point with APCER < BPCER: the crossing lies between it and the one before.
    const q = points[i - 1];
    if (!q) break;
    const dq = q.apcer - q.bpcer;
    const t = dq / (dq - d);
    return q.apcer + t * (p.apcer - q.apcer);
  }
  return Math.min(...points.map((p) => Math.max(p.apcer, p.bpcer)));
}

/**
 * Area under the ROC curve, as the Mann–Whitney statistic: the probability that a random bona
 * fide score exceeds a random attack score, ties counting one half. `null` when either class is
 * empty.
 *
 * @example
 * ```ts
 * rocAuc([2, 3], [1, 2]); // (1 + 1 + 0.5 + 1) / 4 = 0.875
 * ```
 */
export function rocAuc(
  bonaFideScores: readonly number[],
  attackScores: readonly number[],
): number | null {
  if (bonaFideScores.length === 0 || attackScores.length === 0) return null;
  // Rank-sum in O(n log n): sort all, give tied runs their mean rank.
  const scores = [...bonaFideScores, ...attackScores];
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0) || 0);
  const sorted = order.map((i) => scores[i] ?? Number.NaN);
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if ((order[k] ?? -1) < bonaFideScores.length) rankSum += meanRank;
    i = j;
  }
  const nb = bonaFideScores.length;
  const na = attackScores.length;
  return (rankSum - (nb * (nb + 1)) / 2) / (nb * na);
}

/**
 * BPCER at a fixed APCER (ISO/IEC 30107-3's BPCER20 is `target = 0.05`): the lowest BPCER of
 * any operating point whose APCER is at most `target`. `null` when either class is empty.
 *
 * @example
 * ```ts
 * bpcerAtApcer([1, 2, 3], [0, 2.5], 0.5); // { bpcer: 0, apcer: 0.5, threshold: 1 }
 * ```
 */
export function bpcerAtApcer(
  bonaFideScores: readonly number[],
  attackScores: readonly number[],
  target: number,
): BpcerAtApcer | null {
  if (bonaFideScores.length === 0 || attackScores.length === 0) return null;
  // Points run from lenient to strict: the first one within the target has the lowest BPCER.
  const point = operatingPoints(bonaFideScores, attackScores).find((p) => p.apcer <= target);
  if (!point) return null;
  return { bpcer: point.bpcer, apcer: point.apcer, threshold: point.threshold };
}

/**
 * EER and AUC of one score.
 *
 * @example
 * ```ts
 * separation([1, 3], [0, 2]); // { eer: 0.5, auc: 0.75 }
 * ```
 */
export function separation(
  bonaFideScores: readonly number[],
  attackScores: readonly number[],
): ScoreSeparation {
  return {
    eer: equalErrorRate(bonaFideScores, attackScores),
    auc: rocAuc(bonaFideScores, attackScores),
  };
}

/**
 * The strictest operating point whose BPCER does not exceed `target`: the threshold at the
 * `⌊target · n⌋`-th lowest bona fide score, so at most that many bona fide presentations fall
 * below it. `null` without bona fide scores.
 *
 * @example
 * ```ts
 * thresholdAtBpcer([1, 2, 3, 4], [0, 2.5], 0.25); // { threshold: 2, bpcer: 0.25, apcer: 0.5 }
 * ```
 */
export function thresholdAtBpcer(
  bonaFideScores: readonly number[],
  attackScores: readonly number[],
  target: number,
): OperatingPoint | null {
  const sorted = bonaFideScores.filter((s) => !Number.isNaN(s)).sort((a, b) => a - b);
  const threshold = sorted[Math.floor(target * sorted.length)];
  if (threshold === undefined) return null;
  return {
    threshold,
    apcer: apcer(attackScores, threshold),
    bpcer: bpcer(bonaFideScores, threshold),
  };
}
