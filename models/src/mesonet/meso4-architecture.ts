/**
 * Meso4 as DariusAf/MesoNet `classifiers.py` defines it (Afchar et al., "MesoNet: a Compact
 * Facial Video Forgery Detection Network", WIFS 2018). The weights files hold no architecture,
 * only layer names and weight shapes, which `readMeso4Weights` checks against this table.
 *
 * Each block is Conv2D(filters, kernel, same, relu) → BatchNormalization → MaxPooling2D(pool,
 * same); then Flatten → Dropout(0.5) → Dense(16) → LeakyReLU(0.1) → Dropout(0.5) →
 * Dense(1, sigmoid).
 *
 * @example
 * ```ts
 * MESO4_ARCHITECTURE.blocks[1]; // { filters: 8, kernel: 5, pool: 2 }
 * ```
 */
export const MESO4_ARCHITECTURE = {
  /** Square input side; RGB channels scaled to [0, 1]. */
  inputSize: 256,
  inputChannels: 3,
  blocks: [
    { filters: 8, kernel: 3, pool: 2 },
    { filters: 8, kernel: 5, pool: 2 },
    { filters: 16, kernel: 5, pool: 2 },
    { filters: 16, kernel: 5, pool: 4 },
  ],
  hiddenUnits: 16,
  leakyReluAlpha: 0.1,
  /** Keras's `BatchNormalization` default, which `classifiers.py` does not override. */
  batchNormEpsilon: 1e-3,
} as const;
