/**
 * A deterministic byte source (xorshift32) for the server's `random` seam, so a test can fix
 * which challenge the server draws. Never use it outside tests: it is not a CSPRNG.
 *
 * @example
 * ```ts
 * const api = await startApiServer({ modelDir, pageOrigins, random: seededRandom(2) });
 * ```
 */
export function seededRandom(seed: number): (byteLength: number) => Uint8Array {
  let state = seed >>> 0 || 1;
  return (byteLength) => {
    const out = new Uint8Array(byteLength);
    for (let i = 0; i < byteLength; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 0xff;
    }
    return out;
  };
}
