/**
 * Joins images (or any arrays) end to end, e.g. into one batch.
 *
 * @example
 * ```ts
 * const batch = concatFloat32([first, second]);
 * ```
 */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((offset, part) => (out.set(part, offset), offset + part.length), 0);
  return out;
}
