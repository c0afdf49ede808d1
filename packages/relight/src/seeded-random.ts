/**
 * A seeded source of uniform numbers in [0, 1) (mulberry32: 32-bit state, fast, not for
 * secrets): simulations that must repeat exactly pass it as `random`.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(7);
 * relightFrame(image, points, screen, { random }); // the same noise on every run
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
