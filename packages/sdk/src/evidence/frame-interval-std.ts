/**
 * Standard deviation (ms) of the intervals between consecutive frame capture times, or `null`
 * with fewer than three frames. A perfectly regular stream (std near 0) is a sign of injected
 * frames; real cameras jitter.
 *
 * @example
 * ```ts
 * frameIntervalStdMs([0, 33, 67, 100]); // ≈ 0.47
 * ```
 */
export function frameIntervalStdMs(capturedAt: readonly number[]): number | null {
  if (capturedAt.length < 3) return null;
  const gaps: number[] = [];
  for (let i = 1; i < capturedAt.length; i++) {
    gaps.push((capturedAt[i] ?? 0) - (capturedAt[i - 1] ?? 0));
  }
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  return Math.min(10_000, Math.sqrt(variance));
}
