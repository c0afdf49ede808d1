/**
 * MesoInception4 as DariusAf/MesoNet `classifiers.py` defines it (Afchar et al., "MesoNet: a
 * Compact Facial Video Forgery Detection Network", WIFS 2018). Like Meso4's, the weights files
 * hold no architecture, only layer names and weight shapes, which
 * `readMesoInception4Weights` checks against this table.
 *
 * Each inception block `InceptionLayer(a, b, c, d)` concatenates, in this order, four branches
 * of `Conv2D(padding="same", activation="relu")` layers: a 1x1 conv of `a` filters; a 1x1 then
 * a 3x3 conv of `b`; a 1x1 then a 3x3 conv of `c` with dilation 2; a 1x1 then a 3x3 conv of `d`
 * with dilation 3. Then BatchNormalization → MaxPooling2D(pool, same). Two Meso4-style blocks
 * follow (Conv2D(same, relu) → BatchNormalization → MaxPooling2D(same)), then Flatten →
 * Dropout(0.5) → Dense(16) → LeakyReLU(0.1) → Dropout(0.5) → Dense(1, sigmoid).
 *
 * @example
 * ```ts
 * MESOINCEPTION4_ARCHITECTURE.inception[1]; // { a: 2, b: 4, c: 4, d: 2, pool: 2 }
 * ```
 */
export const MESOINCEPTION4_ARCHITECTURE = {
  /** Square input side; RGB channels scaled to [0, 1]. */
  inputSize: 256,
  inputChannels: 3,
  inception: [
    { a: 1, b: 4, c: 4, d: 2, pool: 2 },
    { a: 2, b: 4, c: 4, d: 2, pool: 2 },
  ],
  /** The dilation of the 3x3 conv of branches b, c and d. */
  branchDilations: { b: 1, c: 2, d: 3 },
  blocks: [
    { filters: 16, kernel: 5, pool: 2 },
    { filters: 16, kernel: 5, pool: 4 },
  ],
  hiddenUnits: 16,
  leakyReluAlpha: 0.1,
  /** Keras's `BatchNormalization` default, which `classifiers.py` does not override. */
  batchNormEpsilon: 1e-3,
} as const;
