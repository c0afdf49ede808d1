/**
 * Frames of a session the server's further passive models run on: the fusion takes medians, so
 * a spread sample serves, and each such model costs time per frame.
 */
export const PASSIVE_FRAMES_PER_SESSION = 8;

/**
 * Whether frame `index` of `count` is one of the {@link PASSIVE_FRAMES_PER_SESSION} evenly
 * spread frames the further passive models run on (every frame when there are fewer).
 *
 * @example
 * ```ts
 * [...Array(40).keys()].filter((i) => isPassiveFrame(i, 40)); // [0, 5, 10, …, 35]
 * ```
 */
export function isPassiveFrame(index: number, count: number): boolean {
  const step = Math.max(1, Math.ceil(count / PASSIVE_FRAMES_PER_SESSION));
  return index % step === 0;
}
