import fusion from "./passive-fusion.json" with { type: "json" };
import type { PassiveFusion } from "./passive-fusion.ts";

/**
 * The passive fusion in force: fitted by `pnpm calibrate --data ../shared/media/dev` (grouped
 * 5-fold cross-validation for its thresholds, one fit on all items for its weights), with the
 * SHA-256 of the data it saw. Regenerate it with that command; never edit it by hand.
 *
 * @example
 * ```ts
 * PASSIVE_FUSION.operatingPoints.standard.threshold;
 * ```
 */
export const PASSIVE_FUSION: PassiveFusion = fusion;
