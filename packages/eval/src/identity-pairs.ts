/** The comparisons of a verification run, as index pairs `[i, j]` (`i < j`) into the images. */
export interface IdentityPairs {
  /** Every pair of two images of the same person. */
  readonly genuine: readonly (readonly [number, number])[];
  /** Impostor pairs (two people) compared: all of them, or a systematic sample. */
  readonly impostor: readonly (readonly [number, number])[];
  /** Impostor pairs there are in all. */
  readonly impostorAvailable: number;
  /** Whether `impostor` is a sample (there were more than `maxImpostorPairs`). */
  readonly sampled: boolean;
}

/**
 * Forms the genuine and impostor pairs of images labelled by person. Every genuine pair is
 * kept. Impostor pairs are all kept when there are at most `maxImpostorPairs`; otherwise a
 * systematic sample of `maxImpostorPairs` is taken: in the order `i < j` over the images,
 * impostor pair number `⌊k · available / maxImpostorPairs⌋` for `k = 0, 1, …`, which spreads
 * the sample evenly over every person and repeats exactly from run to run.
 *
 * @throws {RangeError} if `maxImpostorPairs` is not a positive integer.
 * @example
 * ```ts
 * formPairs(["ann", "ann", "bob"], 10); // genuine [[0, 1]], impostor [[0, 2], [1, 2]]
 * ```
 */
export function formPairs(persons: readonly string[], maxImpostorPairs: number): IdentityPairs {
  if (!(Number.isInteger(maxImpostorPairs) && maxImpostorPairs > 0)) {
    throw new RangeError("maxImpostorPairs must be a positive integer");
  }
  const n = persons.length;
  const genuine: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (persons[i] === persons[j]) genuine.push([i, j]);
  }
  const available = (n * Math.max(0, n - 1)) / 2 - genuine.length;
  const sampled = available > maxImpostorPairs;
  const impostor: [number, number][] = [];
  let index = 0;
  let next = 0;
  for (let i = 0; i < n && impostor.length < Math.min(available, maxImpostorPairs); i++) {
    for (let j = i + 1; j < n; j++) {
      if (persons[i] === persons[j]) continue;
      if (index === next) {
        impostor.push([i, j]);
        next = sampled ? Math.floor((impostor.length * available) / maxImpostorPairs) : index + 1;
      }
      index++;
    }
  }
  return { genuine, impostor, impostorAvailable: available, sampled };
}
