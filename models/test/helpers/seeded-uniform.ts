/**
 * Seeded uniform values in [low, high) (mulberry32), so a failing test reproduces with the
 * same inputs. Shared by the MesoNet and TFLite→ONNX tests; the arithmetic is kept as
 * `u * (high - low) + low` so [0, 1) and [-1, 1) give the same bits the old copies gave.
 *
 * @example
 * ```ts
 * const image = seededUniform(1, 3 * 8 * 8, -1, 1);
 * ```
 */
export function seededUniform(seed: number, count: number, low = 0, high = 1): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * (high - low) + low;
  }
  return out;
}
