import { PASSIVE_FUSION } from "../../src/index.ts";

/**
 * Passive scores of a clearly bona fide face: each of the pinned fusion's features two standard
 * deviations to the bona fide side of its mean, so the fused score clears every policy's
 * threshold whatever the fit's weights are.
 */
export const BONA_FIDE_PASSIVE: Readonly<Record<string, number>> = Object.fromEntries(
  PASSIVE_FUSION.features.map((model, i) => [
    model,
    (PASSIVE_FUSION.means[i] ?? 0) +
      Math.sign(PASSIVE_FUSION.weights[i] ?? 0) * 2 * (PASSIVE_FUSION.stds[i] ?? 1),
  ]),
);

/** As {@link BONA_FIDE_PASSIVE}, two standard deviations to the attack side. */
export const ATTACK_PASSIVE: Readonly<Record<string, number>> = Object.fromEntries(
  PASSIVE_FUSION.features.map((model, i) => [
    model,
    (PASSIVE_FUSION.means[i] ?? 0) -
      Math.sign(PASSIVE_FUSION.weights[i] ?? 0) * 2 * (PASSIVE_FUSION.stds[i] ?? 1),
  ]),
);
