import { randomBytes } from "node:crypto";

/**
 * Where session ids, nonces and challenges get their randomness: crypto by default, a fixed
 * sequence in tests.
 *
 * @example
 * ```ts
 * const random: RandomSource = (n) => new Uint8Array(randomBytes(n));
 * ```
 */
export type RandomSource = (byteLength: number) => Uint8Array;

/** The default {@link RandomSource}: the operating system's CSPRNG. */
export const cryptoRandom: RandomSource = (byteLength) => new Uint8Array(randomBytes(byteLength));

/**
 * A uniform integer in `[0, bound)` without modulo bias (rejection sampling).
 *
 * @example
 * ```ts
 * const colourIndex = randomInt(cryptoRandom, 6);
 * ```
 */
export function randomInt(random: RandomSource, bound: number): number {
  const range = 2 ** 32;
  const limit = range - (range % bound);
  for (;;) {
    const bytes = random(4);
    const value =
      (bytes[0] ?? 0) * 2 ** 24 +
      ((bytes[1] ?? 0) << 16) +
      ((bytes[2] ?? 0) << 8) +
      (bytes[3] ?? 0);
    if (value < limit) return value % bound;
  }
}
