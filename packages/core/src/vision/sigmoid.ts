/**
 * The logistic function, with the logit first clipped to ±`clip` as MediaPipe's
 * `TensorsToDetectionsCalculator` does. NaN stays NaN, so it fails every threshold.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * sigmoid(-1e9, FACE_DETECTOR_SCORE_CLIP); // sigmoid(-100), about 3.7e-44
 * ```
 */
export function sigmoid(logit: number, clip = Infinity): number {
  const x = logit < -clip ? -clip : logit > clip ? clip : logit;
  return 1 / (1 + Math.exp(-x));
}
