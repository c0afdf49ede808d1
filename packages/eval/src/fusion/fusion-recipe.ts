import { SERVER_PASSIVE_MODEL_IDS } from "@lumen/core";
import type { FusionRecipe } from "./calibrate-fusion.ts";

/**
 * How `pnpm calibrate` fits the pinned fusion, and how `pnpm eval` cross-validates it:
 * - features: the median score of every passive model the server runs;
 * - 5 grouped folds (a fifth of the sources held out at a time);
 * - an L2 penalty of 1 on standardised features: with about 300 items and 7 strongly
 *   correlated features, it keeps weights from trading off one correlated model against another;
 * - thresholds at a BPCER of 2 % (`standard`, `no-flash`: a genuine user is rarely refused by
 *   the passive layer alone, the challenges carry the rest) and 5 % (`high`).
 */
export const FUSION_RECIPE: FusionRecipe = {
  features: ["minifasnet-v2-se", "mesonet4-df", ...SERVER_PASSIVE_MODEL_IDS],
  folds: 5,
  l2: 1,
  targetBpcer: { standard: 0.02, high: 0.05, "no-flash": 0.02 },
};
